import { upcastStored } from '../../upcasters';
import type { StoredEvent } from '../eventstore/event';
import type { SqlSession } from '../eventstore/sql/sql-client';
import {
  schemaOf,
  type ProjectionDefinition,
  type ProjectionEvent,
} from '../../projections/projection-definition';
import { loadRows, writeRows } from './projection-rows';
import { RowChanges } from './row-changes';

/** Where and why a version stopped. */
export interface Failure {
  position: bigint;
  eventId: string;
  type: string;
  error: string;
}

/** A stored event and its upcast form; a failure to upcast is a failure at that event. */
export interface Step {
  stored: StoredEvent;
  events: ProjectionEvent[];
  upcastError?: string;
}

/** What applying a batch committed: how many stored events, up to where, and where it stopped. */
export interface Applied {
  applied: number;
  position: bigint;
  failure?: Failure;
}

/**
 * Applies stored events (already read, after `from`) to a version inside the caller's
 * transaction: rows and checkpoint together. A failing event stops it there, recorded.
 */
export async function applyStoredEvents(
  tx: SqlSession,
  definition: ProjectionDefinition,
  from: bigint,
  stored: StoredEvent[],
): Promise<Applied> {
  return applySteps(tx, definition, from, stored.map(upcastStep));
}

/** The same, for steps upcast beforehand (the runner upcasts before it opens the transaction). */
export async function applySteps(
  tx: SqlSession,
  definition: ProjectionDefinition,
  from: bigint,
  steps: Step[],
): Promise<Applied> {
  const { name, version } = definition;
  const schema = schemaOf(name, version);
  const refs = steps.flatMap((s) => s.events.flatMap((e) => definition.reads(e)));
  const loaded = await loadRows(tx, schema, refs);
  let changes = new RowChanges(refs, loaded);
  let failure: Failure | undefined;
  let applied = steps.length;
  for (const [index, step] of steps.entries()) {
    const error = step.upcastError ?? applyStep(definition, step, changes);
    if (error !== undefined) {
      failure = {
        position: step.stored.position,
        eventId: step.stored.eventId,
        type: step.stored.type,
        error,
      };
      applied = index;
      // Handlers run in memory, so the steps before the failing one are simply applied again.
      changes = new RowChanges(refs, loaded);
      for (const before of steps.slice(0, index)) applyStep(definition, before, changes);
      break;
    }
  }
  await writeRows(tx, definition, changes);
  const position = applied > 0 ? steps[applied - 1]!.stored.position : from;
  await tx.query(
    `UPDATE projections.versions SET position = $3, events_applied = events_applied + $4, updated_at = now(),
       status = CASE WHEN $5::text IS NULL THEN status ELSE 'failed' END,
       failed_position = $6, failed_event_id = $7, failed_event_type = $8, error = $5
     WHERE name = $1 AND version = $2`,
    [
      name,
      version,
      position.toString(),
      applied,
      failure?.error ?? null,
      failure?.position.toString() ?? null,
      failure?.eventId ?? null,
      failure?.type ?? null,
    ],
  );
  return { applied, position, failure };
}

export function upcastStep(stored: StoredEvent): Step {
  try {
    return { stored, events: upcastStored(stored) };
  } catch (error) {
    return {
      stored,
      events: [],
      upcastError: `upcast: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** Returns the error message if a handler threw, undefined if the step applied. */
function applyStep(
  definition: ProjectionDefinition,
  step: Step,
  changes: RowChanges,
): string | undefined {
  try {
    for (const event of step.events) definition.apply(event, changes);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

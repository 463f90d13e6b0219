import type { StoredEvent } from '../eventstore/event';
import type { SqlSession } from '../eventstore/sql/sql-client';
import {
  schemaOf,
  type ProjectionDefinition,
  type ProjectionEvent,
  type Row,
  type RowRef,
  type RowSetRef,
} from '../../projections/projection-definition';
import { loadRowSets, loadRows, writeRows } from './projection-rows';
import { RowChanges, UndeclaredRowError } from './row-changes';
import type { UpcasterChain } from './upcaster-chain';

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
  chain: UpcasterChain,
  skipped: ReadonlySet<string>,
  from: bigint,
  stored: StoredEvent[],
): Promise<Applied> {
  return applySteps(tx, definition, from, stored.map(stepOf(definition, chain, skipped)));
}

/** The same, for steps upcast beforehand (the runner upcasts before it opens the transaction). */
export async function applySteps(
  tx: SqlSession,
  definition: ProjectionDefinition,
  from: bigint,
  steps: Step[],
): Promise<Applied> {
  const { name, version } = definition;
  const batch = await BatchRows.load(tx, definition, steps);
  let changes = batch.fresh();
  let failure: Failure | undefined;
  let applied = steps.length;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    const outcome = step.upcastError ?? applyStep(definition, step, changes);
    if (outcome instanceof Unresolved) {
      await batch.resolve(outcome.refs, steps.slice(index), changes);
      // The step may have applied some of its events: run the batch again up to it, then it.
      if (outcome.partly) changes = batch.replay(steps.slice(0, index));
      index -= 1;
      continue;
    }
    if (outcome !== undefined) {
      failure = {
        position: step.stored.position,
        eventId: step.stored.eventId,
        type: step.stored.type,
        error: outcome,
      };
      applied = index;
      // Handlers run in memory, so the steps before the failing one are simply applied again.
      changes = batch.replay(steps.slice(0, index));
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

/** An event whose `readsAfter` names rows the batch has not loaded: load them, then apply it. */
class Unresolved {
  constructor(
    readonly refs: RowRef[],
    /** Whether events of the same step were applied before it. */
    readonly partly: boolean,
  ) {}
}

/**
 * The rows a batch may read, in stages: what `reads` and `readsWhere` name, then what
 * `readsAfter` names given those rows. A row `readsAfter` names that the batch neither loaded
 * nor wrote is untouched by the batch, so loading it later, when an event needs it, reads it as
 * it stands at that event: the batch never has to be cut for it.
 */
class BatchRows {
  private readonly loads: Array<{
    refs: RowRef[];
    rows: Map<string, Map<string, Row>>;
    sets: RowSetRef[];
  }> = [];

  private constructor(
    private readonly tx: SqlSession,
    private readonly definition: ProjectionDefinition,
    private readonly schema: string,
  ) {}

  static async load(
    tx: SqlSession,
    definition: ProjectionDefinition,
    steps: Step[],
  ): Promise<BatchRows> {
    const batch = new BatchRows(tx, definition, schemaOf(definition.name, definition.version));
    const events = steps.flatMap((s) => s.events);
    const refs = events.flatMap((e) => definition.reads(e));
    const sets = events.flatMap((e) => definition.readsWhere?.(e) ?? []);
    const rows = await loadRows(tx, batch.schema, refs);
    for (const [table, byId] of await loadRowSets(tx, batch.schema, sets)) {
      const known = rows.get(table) ?? new Map<string, Row>();
      for (const [id, row] of byId) known.set(id, row);
      rows.set(table, known);
    }
    batch.loads.push({ refs, rows, sets });
    // What the second stage names as the batch begins: most of what it will need, in one query.
    await batch.resolve([], steps, batch.fresh());
    return batch;
  }

  /** The rows as loaded, before any handler ran. */
  fresh(): RowChanges {
    const changes = new RowChanges();
    for (const { refs, rows, sets } of this.loads) changes.declare(refs, rows, sets);
    return changes;
  }

  /** The rows after the steps, applied again from the rows as loaded. */
  replay(steps: Step[]): RowChanges {
    const changes = this.fresh();
    for (const step of steps) applyStep(this.definition, step, changes);
    return changes;
  }

  /**
   * Loads `needed` and whatever the second stage of `ahead` names given the rows as they are
   * now, that `changes` does not know yet; declares them in `changes` and in every fresh copy.
   */
  async resolve(needed: RowRef[], ahead: Step[], changes: RowChanges): Promise<void> {
    const { readsAfter } = this.definition;
    if (readsAfter === undefined) return;
    const guessed = ahead.flatMap((s) =>
      s.events.flatMap((e) => {
        try {
          return readsAfter(e, changes);
        } catch {
          // Named by rows a later event of the batch makes: resolved when that event comes.
          return [];
        }
      }),
    );
    const refs = [...needed, ...guessed].filter(({ table, id }) => !changes.knows(table, id));
    if (refs.length === 0) return;
    const rows = await loadRows(this.tx, this.schema, refs);
    changes.declare(refs, rows);
    this.loads.push({ refs, rows, sets: [] });
  }
}
/**
 * The events a definition's handlers get of a stored event: none if an operator skipped it for
 * this version, itself if the definition reads raw, else its upcast form.
 */
export function stepOf(
  definition: ProjectionDefinition,
  chain: UpcasterChain,
  skipped: ReadonlySet<string>,
): (stored: StoredEvent) => Step {
  return (stored) => {
    if (skipped.has(stored.eventId)) return { stored, events: [] };
    if (definition.input === 'raw') return { stored, events: [stored] };
    try {
      return { stored, events: chain.upcast(stored) };
    } catch (error) {
      return {
        stored,
        events: [],
        upcastError: `upcast: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  };
}

/**
 * What the event's `readsAfter` names that the batch does not know yet; a row it read without
 * having it (one it named itself) is needed too, and it is asked again once that is loaded.
 */
function unresolved(
  definition: ProjectionDefinition,
  event: ProjectionEvent,
  changes: RowChanges,
): RowRef[] {
  try {
    const after = definition.readsAfter?.(event, changes) ?? [];
    return after.filter(({ table, id }) => !changes.knows(table, id));
  } catch (error) {
    if (error instanceof UndeclaredRowError) return [error.ref];
    throw error;
  }
}

/**
 * Returns the error message if a handler threw, an Unresolved if an event needs rows the batch
 * has not loaded, undefined if the step applied.
 */
function applyStep(
  definition: ProjectionDefinition,
  step: Step,
  changes: RowChanges,
): string | Unresolved | undefined {
  try {
    for (const [index, event] of step.events.entries()) {
      const missing = unresolved(definition, event, changes);
      if (missing.length > 0) return new Unresolved(missing, index > 0);
      definition.apply(event, changes);
    }
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

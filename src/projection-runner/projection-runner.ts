import { Logger } from '@nestjs/common';
import { upcastStored } from '../../upcasters';
import type { StoredEvent } from '../eventstore/event';
import type { EventStore } from '../eventstore/event-store.port';
import { quoteIdent } from '../eventstore/sql/pg-sql-client';
import type { SqlClient, SqlSession } from '../eventstore/sql/sql-client';
import { indexesDdl, type ProjectionCatalog } from './projection-catalog';
import {
  schemaOf,
  type ColumnType,
  type ProjectionDefinition,
  type ProjectionEvent,
  type Row,
} from '../../projections/projection-definition';
import { RowChanges } from './row-changes';

export interface BatchOutcome {
  /** Stored events whose effects were committed by this batch. */
  applied: number;
  position: bigint;
  /** Nothing left to read after `position` (at the time of reading). */
  caughtUp: boolean;
  failed: boolean;
  /** Another process holds this version, or its state changed under us: nothing was done. */
  busy: boolean;
  /** The version is failed or retired: the runner leaves it alone. */
  inactive: boolean;
}

interface Failure {
  position: bigint;
  eventId: string;
  type: string;
  error: string;
}

/** A stored event and its upcast form; a failure to upcast is a failure at that event. */
interface Step {
  stored: StoredEvent;
  events: ProjectionEvent[];
  upcastError?: string;
}

/**
 * Applies the log to projection versions: read a batch after the checkpoint, upcast, run the
 * handlers in memory, and write the rows and the new checkpoint in one transaction (so each
 * event's effect is committed exactly once). A transaction-scoped advisory lock and a check of
 * the checkpoint under FOR UPDATE make sure only one process applies a given batch.
 */
export class ProjectionRunner {
  private readonly logger = new Logger('ProjectionRunner');
  private following: Promise<void> | undefined;
  /** The next page of each version, read while the current one is applied. */
  private readonly prefetched = new Map<string, { after: bigint; page: Promise<StoredEvent[]> }>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly catalog: ProjectionCatalog,
    private readonly batchSize = 5000,
  ) {}

  async runBatch(definition: ProjectionDefinition): Promise<BatchOutcome> {
    const { name, version } = definition;
    const [state] = await this.sql.query<VersionState>(
      'SELECT status, position::text AS position FROM projections.versions WHERE name = $1 AND version = $2',
      [name, version],
    );
    if (!state || (state.status !== 'rebuilding' && state.status !== 'running')) {
      return outcomeOf(BigInt(state?.position ?? 0), { inactive: true });
    }
    const from = BigInt(state.position);
    const stored = await this.read(definition, from);
    if (stored.length === 0) {
      if (state.status === 'rebuilding') await this.markCaughtUp(definition);
      return outcomeOf(from, { caughtUp: true });
    }
    try {
      return await this.applyBatch(definition, state, stored);
    } catch (error) {
      // The database refused the batch (a handler did not throw): find the event that it refuses
      // by applying the batch one event at a time, and stop there like a handler failure.
      if (stored.length === 1) return this.recordFailure(definition, state, stored[0]!, error);
      let at = state;
      let outcome: BatchOutcome | undefined;
      for (const event of stored) {
        try {
          outcome = await this.applyBatch(definition, at, [event]);
        } catch (single) {
          return this.recordFailure(definition, at, event, single);
        }
        if (outcome.busy || outcome.failed) return outcome;
        at = { ...at, position: outcome.position.toString() };
      }
      return outcome!;
    }
  }

  private applyBatch(
    definition: ProjectionDefinition,
    state: VersionState,
    stored: StoredEvent[],
  ): Promise<BatchOutcome> {
    const { name, version } = definition;
    const from = BigInt(state.position);
    const steps = stored.map(upcastStep);
    return this.sql.transaction(async (tx) => {
      const [locked] = await tx.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok',
        [lockKey(definition)],
      );
      // Safe without waiting for the flush to disk: rows and checkpoint are lost or kept
      // together, and what a crash loses is simply applied again.
      await tx.query('SET LOCAL synchronous_commit = off');
      const current = await lockedState(tx, definition);
      if (!locked?.ok || current?.position !== state.position || current.status !== state.status) {
        return outcomeOf(from, { busy: true });
      }
      const outcome = await applySteps(tx, definition, from, steps);
      if (outcome.failure) {
        const f = outcome.failure;
        this.logger.error(
          `${name} v${version} stopped at position ${f.position} (${f.type} ${f.eventId}): ${f.error}`,
        );
      }
      return outcomeOf(outcome.position, {
        applied: outcome.applied,
        failed: outcome.failure !== undefined,
      });
    });
  }

  private async recordFailure(
    definition: ProjectionDefinition,
    state: VersionState,
    event: StoredEvent,
    error: unknown,
  ): Promise<BatchOutcome> {
    const message = `database: ${error instanceof Error ? error.message : String(error)}`;
    await this.sql.query(
      `UPDATE projections.versions SET status = 'failed', failed_position = $4, failed_event_id = $5,
         failed_event_type = $6, error = $7, updated_at = now()
       WHERE name = $1 AND version = $2 AND position = $3::bigint`,
      [
        definition.name,
        definition.version,
        state.position,
        event.position.toString(),
        event.eventId,
        event.type,
        message,
      ],
    );
    this.logger.error(
      `${definition.name} v${definition.version} stopped at position ${event.position} (${event.type} ${event.eventId}): ${message}`,
    );
    return outcomeOf(BigInt(state.position), { failed: true });
  }

  /** Applies batches until the version has caught up with the log (or failed, or is inactive). */
  async catchUp(
    definition: ProjectionDefinition,
    onProgress: (position: bigint) => void = () => undefined,
    signal?: AbortSignal,
  ): Promise<BatchOutcome> {
    for (;;) {
      const outcome = await this.runBatch(definition);
      onProgress(outcome.position);
      if (outcome.caughtUp || outcome.failed || outcome.inactive || signal?.aborted) return outcome;
      if (outcome.busy) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * The service's loop: every active version (live or rebuilding), one batch each in turn, then
   * a wait for new events (woken by the store's notification, so lag at rest stays well under 1 s).
   */
  start(definitionOf: (name: string, version: number) => ProjectionDefinition | undefined): void {
    const signal = this.stopping.signal;
    this.following = (async () => {
      while (!signal.aborted) {
        try {
          let position: bigint | undefined;
          let applied = false;
          let busy = false;
          for (const { name, version } of await this.catalog.activeVersions()) {
            const definition = definitionOf(name, version);
            if (!definition) continue;
            const outcome = await this.runBatch(definition);
            applied ||= outcome.applied > 0;
            busy ||= outcome.busy;
            position =
              position === undefined || outcome.position < position ? outcome.position : position;
          }
          if (applied) {
            // PGlite answers on this thread without giving the event loop a turn: without this,
            // a rebuild in the service would starve its HTTP requests until it caught up.
            await new Promise((resolve) => setImmediate(resolve));
          } else if (busy) {
            // Another process is applying that version's batch: let it, as `catchUp` does.
            await new Promise((resolve) => setTimeout(resolve, 100));
          } else if (position === undefined) {
            // No version to run: look again for a rebuild request now and then, not on every append.
            await abortableSleep(1000, signal);
          } else {
            // Caught up: wait for an append, then a moment more so that a burst of commands is
            // applied as one batch rather than one transaction each (lag stays far below 1 s).
            await this.store.waitForEvents(position, 1000, signal);
            await abortableSleep(COALESCE_MS, signal);
          }
        } catch (error) {
          if (signal.aborted) return;
          this.logger.error(
            `projection loop: ${error instanceof Error ? error.message : String(error)}`,
          );
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.following;
  }

  /**
   * A page of the log after `from`, and the read of the page after it started at once: reading
   * overlaps applying. A prefetched page is an ordinary read made earlier, so it is just as safe.
   */
  private async read(definition: ProjectionDefinition, from: bigint): Promise<StoredEvent[]> {
    const key = lockKey(definition);
    const ahead = this.prefetched.get(key);
    this.prefetched.delete(key);
    const page =
      ahead?.after === from
        ? await ahead.page
        : await this.store.readAll({ after: from, maxCount: this.batchSize });
    if (page.length === this.batchSize) {
      const after = page.at(-1)!.position;
      const next = this.store.readAll({ after, maxCount: this.batchSize });
      next.catch(() => undefined); // a failed prefetch is simply read again
      this.prefetched.set(key, { after, page: next });
    }
    return page;
  }

  private async markCaughtUp(definition: ProjectionDefinition): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const indexes = indexesDdl(definition);
      if (indexes) await tx.exec(indexes);
      await tx.query(
        `UPDATE projections.versions SET status = 'running', caught_up_at = now(), updated_at = now()
         WHERE name = $1 AND version = $2 AND status = 'rebuilding'`,
        [definition.name, definition.version],
      );
    });
  }
}

/** How long the live loop lets appends gather after one arrives. */
const COALESCE_MS = 25;

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

interface VersionState {
  status: string;
  position: string;
}

function outcomeOf(position: bigint, extra: Partial<BatchOutcome>): BatchOutcome {
  return {
    applied: 0,
    position,
    caughtUp: false,
    failed: false,
    busy: false,
    inactive: false,
    ...extra,
  };
}

export function lockKey(definition: ProjectionDefinition): string {
  return `projection:${schemaOf(definition.name, definition.version)}`;
}

/** The version's state row, locked for the rest of the transaction. */
export async function lockedState(
  tx: SqlSession,
  definition: ProjectionDefinition,
): Promise<{ status: string; position: string } | undefined> {
  const [state] = await tx.query<{ status: string; position: string }>(
    `SELECT status, position::text AS position FROM projections.versions
     WHERE name = $1 AND version = $2 FOR UPDATE`,
    [definition.name, definition.version],
  );
  return state;
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
): Promise<{ applied: number; position: bigint; failure?: Failure }> {
  return applySteps(tx, definition, from, stored.map(upcastStep));
}

async function applySteps(
  tx: SqlSession,
  definition: ProjectionDefinition,
  from: bigint,
  steps: Step[],
): Promise<{ applied: number; position: bigint; failure?: Failure }> {
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

function upcastStep(stored: StoredEvent): Step {
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

async function loadRows(
  tx: SqlSession,
  schema: string,
  refs: Array<{ table: string; id: string }>,
): Promise<Map<string, Map<string, Row>>> {
  const loaded = new Map<string, Map<string, Row>>();
  for (const [table, ids] of RowChanges.refsByTable(refs)) {
    const rows = await tx.query<Row>(
      `SELECT * FROM ${quoteIdent(schema)}.${quoteIdent(table)} WHERE id = ANY($1::text[])`,
      [[...ids]],
    );
    loaded.set(table, new Map(rows.map((row) => [row.id, row])));
  }
  return loaded;
}

async function writeRows(
  tx: SqlSession,
  definition: ProjectionDefinition,
  changes: RowChanges,
): Promise<void> {
  const schema = schemaOf(definition.name, definition.version);
  for (const { table, upserts, deletes } of changes.changes()) {
    const target = `${quoteIdent(schema)}.${quoteIdent(table)}`;
    if (deletes.length > 0)
      await tx.query(`DELETE FROM ${target} WHERE id = ANY($1::text[])`, [deletes]);
    if (upserts.length === 0) continue;
    const spec = definition.tables[table];
    if (!spec) throw new Error(`${definition.name} v${definition.version} has no table ${table}`);
    const columns: Array<[string, ColumnType]> = [['id', 'text'], ...Object.entries(spec.columns)];
    const list = columns.map(([c]) => quoteIdent(c)).join(', ');
    const updates = columns
      .filter(([c]) => c !== 'id')
      .map(([c]) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`)
      .join(', ');
    // One array per column: the server reads arrays of plain values much faster than a JSON
    // document of row objects, and the client builds them without serializing each row.
    await tx.query(
      `INSERT INTO ${target} (${list})
       SELECT * FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
       ON CONFLICT (id) DO ${updates ? `UPDATE SET ${updates}` : 'NOTHING'}`,
      columns.map(([c]) => upserts.map((row) => row[c] ?? null)),
    );
  }
}

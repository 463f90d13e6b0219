import { Logger } from '@nestjs/common';
import { StoreUnavailableError } from '../eventstore/errors';
import type { StoredEvent } from '../eventstore/event';
import type { EventStore } from '../eventstore/event-store.port';
import type { SqlClient } from '../eventstore/sql/sql-client';
import { schemaOf, type ProjectionDefinition } from '../../projections/projection-definition';
import { applySteps, stepOf } from './apply-events';
import { compactBloatedTables } from './compact-tables';
import { LogPages } from './log-pages';
import {
  analyzeDdl,
  indexesDdl,
  type ProjectionCatalog,
  type RecordedFingerprint,
} from './projection-catalog';
import type { UpcasterChain } from './upcaster-chain';
import { lockedState, lockKey, VersionWriters, type VersionState } from './version-lock';

export interface BatchOutcome {
  /** Stored events whose effects were committed by this batch. */
  applied: number;
  position: bigint;
  /** Nothing left to read after `position` (at the time of reading). */
  caughtUp: boolean;
  failed: boolean;
  /** Another process holds this version, or its state changed under us: nothing was done. */
  busy: boolean;
  /** The version is failed or retired, or this build refuses it: the runner leaves it alone. */
  inactive: boolean;
  /** Why this build refuses to continue the version (its definition changed), if it does. */
  refused?: string;
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
  private readonly pages: LogPages;
  private readonly stopping = new AbortController();
  /** Versions whose refusal has been logged, so the loop says it once, not every turn. */
  private readonly refusalsLogged = new Set<string>();
  /** Which versions this process's loop follows (see VersionWriters). */
  readonly writers: VersionWriters;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly catalog: ProjectionCatalog,
    readonly chain: UpcasterChain,
    batchSize = 5000,
  ) {
    this.pages = new LogPages(store, batchSize);
    this.writers = new VersionWriters(sql);
  }

  async runBatch(definition: ProjectionDefinition): Promise<BatchOutcome> {
    const { name, version } = definition;
    // The operator's skips come with the state: one round trip per batch fewer.
    const [state] = await this.sql.query<
      VersionState & RecordedFingerprint & { skipped_event_ids: string[] }
    >(
      `SELECT status, position::text AS position, schema_fingerprint, handlers_fingerprint, upcasters_fingerprint,
         ARRAY(SELECT s.event_id FROM projections.skips s WHERE s.name = v.name AND s.version = v.version)
           AS skipped_event_ids
       FROM projections.versions v WHERE name = $1 AND version = $2`,
      [name, version],
    );
    if (!state || (state.status !== 'rebuilding' && state.status !== 'running')) {
      return outcomeOf(BigInt(state?.position ?? 0), { inactive: true });
    }
    const from = BigInt(state.position);
    const refused = this.catalog.refusal(definition, state);
    if (refused) {
      if (!this.refusalsLogged.has(lockKey(definition))) this.logger.error(refused);
      this.refusalsLogged.add(lockKey(definition));
      return outcomeOf(from, { inactive: true, refused });
    }
    const stored = await this.pages.after(definition, from);
    if (stored.length === 0) {
      if (state.status === 'rebuilding') await this.markCaughtUp(definition);
      return outcomeOf(from, { caughtUp: true });
    }
    const skipped = new Set(state.skipped_event_ids);
    try {
      return await this.applyBatch(definition, state, stored, skipped);
    } catch (error) {
      // An outage is not the version's fault: nothing was committed, the caller tries again later.
      if (error instanceof StoreUnavailableError) throw error;
      // The database refused the batch (a handler did not throw): find the event that it refuses
      // by applying the batch one event at a time, and stop there like a handler failure.
      if (stored.length === 1) return this.recordFailure(definition, state, stored[0]!, error);
      let at = state;
      let outcome: BatchOutcome | undefined;
      for (const event of stored) {
        try {
          outcome = await this.applyBatch(definition, at, [event], skipped);
        } catch (single) {
          if (single instanceof StoreUnavailableError) throw single;
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
    skipped: ReadonlySet<string>,
  ): Promise<BatchOutcome> {
    const { name, version } = definition;
    const from = BigInt(state.position);
    const steps = stored.map(stepOf(definition, this.chain, skipped));
    return this.sql.transaction(async (tx) => {
      // Not waiting for the commit's flush to disk is safe: rows and checkpoint are lost or kept
      // together, and what a crash loses is simply applied again. (SET LOCAL, in this statement.)
      const [locked] = await tx.query<{ ok: boolean }>(
        `SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok,
           set_config('synchronous_commit', 'off', true) AS synchronous_commit`,
        [lockKey(definition)],
      );
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
    const backOff = new BackOff();
    for (;;) {
      let outcome: BatchOutcome;
      try {
        outcome = await this.runBatch(definition);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError) || backOff.exhausted) throw error;
        this.logger.warn(`store unavailable (${error.message}); retrying in ${backOff.next} ms`);
        await backOff.wait(signal);
        continue;
      }
      backOff.reset();
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
    const backOff = new BackOff();
    this.following = (async () => {
      while (!signal.aborted) {
        try {
          let position: bigint | undefined;
          let applied = false;
          let busy = false;
          for (const { name, version } of await this.catalog.activeVersions()) {
            const definition = definitionOf(name, version);
            if (!definition) continue;
            // Another service process follows it: look again on the next turn.
            if (!(await this.writers.claim(definition))) continue;
            const outcome = await this.runBatch(definition);
            // PGlite answers on this thread without giving the event loop a turn: without this,
            // requests would wait for every version's batch of the round (a rebuild in the
            // service would starve them until it caught up), not for one batch at most.
            if (outcome.applied > 0) await new Promise((resolve) => setImmediate(resolve));
            applied ||= outcome.applied > 0;
            busy ||= outcome.busy;
            position =
              position === undefined || outcome.position < position ? outcome.position : position;
          }
          backOff.reset();
          // More may be waiting: the next round at once (each batch above gave requests a turn).
          if (applied) continue;
          if (busy) {
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
          if (error instanceof StoreUnavailableError) {
            // Nothing was committed: every version catches up from its checkpoint once it is back.
            this.logger.warn(
              `projection loop: store unavailable (${error.message}); retrying in ${backOff.next} ms`,
            );
            await backOff.wait(signal);
            continue;
          }
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
    await this.writers.releaseAll().catch((error: unknown) => {
      this.logger.warn(
        `projection leases not released (they expire): ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  private async markCaughtUp(definition: ProjectionDefinition): Promise<void> {
    const { name, version } = definition;
    await this.sql.exec(analyzeDdl(definition));
    const rewritten = await compactBloatedTables(this.sql, schemaOf(name, version));
    if (rewritten.length > 0)
      this.logger.log(
        `${name} v${version} caught up; rewrote its mostly dead ${rewritten.join(', ')}`,
      );
    await this.sql.transaction(async (tx) => {
      const indexes = indexesDdl(definition);
      if (indexes) await tx.exec(indexes);
      await tx.query(
        `UPDATE projections.versions SET status = 'running', caught_up_at = now(), updated_at = now()
         WHERE name = $1 AND version = $2 AND status = 'rebuilding'`,
        [name, version],
      );
    });
  }
}

/**
 * Waits between tries while the store is unavailable: 100 ms doubling to 5 s. `exhausted` after
 * about two minutes of consecutive failures, for callers (a CLI rebuild) that must give up.
 */
class BackOff {
  private attempt = 0;
  private waited = 0;

  get next(): number {
    return Math.min(100 * 2 ** this.attempt, 5000);
  }

  get exhausted(): boolean {
    return this.waited >= 120_000;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    const ms = this.next;
    this.attempt++;
    this.waited += ms;
    await abortableSleep(ms, signal);
  }

  reset(): void {
    this.attempt = 0;
    this.waited = 0;
  }
}

/** How long the live loop lets appends gather after one arrives. */
const COALESCE_MS = 100;

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
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

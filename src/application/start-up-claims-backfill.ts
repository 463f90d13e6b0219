import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '../eventstore/event-store.port';
import {
  backfillClaims,
  claimsBackfillBacklog,
  type ClaimsBackfillProgress,
} from './claims-backfill';
import type { ClaimsBackfillGate } from './claims-backfill-gate';
import type { CommandExecutor } from './command-executor';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;
/**
 * A backlog this small (one page of the log) is taken before the service listens: it costs
 * one read, and the commands that claim are then never refused after a routine restart.
 */
const BEFORE_LISTENING_MAX_POSITIONS = 2000n;

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The backfill a start runs: a log written by an earlier build (or imported while no service
 * ran) holds codes, assignments and instances without claims, which a new command must meet. It
 * goes on from the position the last run recorded, so a start with nothing new reads nothing but
 * that. A large backlog (a legacy import of 200,000 events takes a minute or more) runs while the
 * service already answers, the gate refusing the commands that claim and /ready at 503 until it is
 * done. A failure (the database went away) is logged and run again with back-off; it never ends
 * the process.
 */
export class StartUpClaimsBackfill {
  private readonly logger = new Logger('claims-backfill');
  /** Of the last run, kept for the state a failure leaves. */
  private progress: ClaimsBackfillProgress = { done: 0, total: 0 };

  constructor(
    private readonly executor: CommandExecutor,
    private readonly store: Pick<EventStore, 'readAll' | 'headPosition' | 'appendMany'>,
    private readonly gate: ClaimsBackfillGate,
  ) {}

  /** Takes a small backlog at once; a large one, or a failure, is left to `run`. */
  async beforeListening(): Promise<void> {
    try {
      const backlog = await claimsBackfillBacklog(this.executor, this.store);
      if (backlog > BEFORE_LISTENING_MAX_POSITIONS) return;
      await this.once();
    } catch (error) {
      this.logger.warn(`${reasonOf(error)}; going on once the service listens`);
    }
  }

  /** Until done, retrying with back-off; resolves once done, or once `signal` stops it. */
  async run(signal: AbortSignal): Promise<void> {
    let delay = FIRST_RETRY_MS;
    while (this.gate.state.phase !== 'done' && !signal.aborted) {
      try {
        await this.once(signal);
      } catch (error) {
        if (signal.aborted) return;
        this.logger.error(`failed: ${reasonOf(error)}; running again in ${delay} ms`);
        this.gate.set({
          phase: 'retrying',
          progress: this.progress,
          error: reasonOf(error),
          retryInMs: delay,
        });
        await sleep(delay, undefined, { signal }).catch(() => undefined);
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    }
  }

  private async once(signal?: AbortSignal): Promise<void> {
    let logged = -1;
    const running = (progress: ClaimsBackfillProgress) => {
      this.progress = progress;
      this.gate.set({ phase: 'running', progress });
    };
    running({ done: 0, total: 0 });
    const report = await backfillClaims(this.executor, this.store, {
      signal,
      onProgress: (progress) => {
        running(progress);
        const tenth = Math.floor((progress.done * 10) / progress.total);
        if (tenth <= logged) return;
        logged = tenth;
        this.logger.log(`${progress.done}/${progress.total} positions read`);
      },
    });
    if (report.written > 0 || report.unclaimed.length > 0) {
      this.logger.log(
        `${report.written} claims written for positions ${report.from}–${report.upTo}; ` +
          `${report.unclaimed.length} duplicates kept as they are`,
      );
    }
    for (const u of report.unclaimed)
      this.logger.warn(`${u.streamId}: ${u.code} ${JSON.stringify(u.details)}`);
    this.gate.set({ phase: 'done' });
  }
}

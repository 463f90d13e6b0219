import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ClaimsBackfillGate, describeClaimsBackfill } from '../application/claims-backfill-gate';
import type { Infrastructure } from '../eventstore/infrastructure';
import type { ProjectionAdmin } from '../projection-runner/projection-admin';
import { Public } from './auth/access.decorators';
import { INFRASTRUCTURE, PROJECTION_ADMIN } from '../tokens';

/** A check that has not answered by then counts as not ready (a stalled network hangs, not fails). */
const CHECK_TIMEOUT_MS = 2_000;

export interface ReadyOptions {
  /** A live projection further behind the head of the log than this is not ready. */
  maxLagEvents: number;
}

export const READY_OPTIONS = Symbol('ReadyOptions');

interface Check {
  name: 'store' | 'readDatabase' | 'projections' | 'claimsBackfill';
  ready: boolean;
  reason?: string;
}

export interface ReadyBody {
  ready: boolean;
  checks: Check[];
}

/**
 * Readiness: the event store and the read database answer, no live projection has failed
 * or lags more than `READY_MAX_LAG_EVENTS` (as Marten's async daemon health check does: a
 * process whose dashboards are that stale should be taken out of the balancer's rotation), and
 * the start-up claims backfill is done (until then the commands that claim are refused).
 * 200 when all hold, else 503 with the checks that do not. Public: a load balancer has no key.
 */
@Controller('ready')
@Public()
export class ReadyController {
  constructor(
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    @Inject(PROJECTION_ADMIN) private readonly admin: ProjectionAdmin,
    @Inject(READY_OPTIONS) private readonly options: ReadyOptions,
    @Inject(ClaimsBackfillGate) private readonly claimsBackfill: ClaimsBackfillGate,
  ) {}

  @Get()
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadyBody> {
    const checks = await Promise.all([
      check('store', async () => {
        await this.infra.eventStore.headPosition();
      }),
      check('readDatabase', async () => {
        await this.infra.sql.query('SELECT 1');
      }),
      check('projections', async () => {
        const live = (await this.admin.status()).filter((s) => s.live);
        const failed = live.filter((s) => s.status === 'failed');
        if (failed.length > 0) {
          throw new Error(
            `live projection failed: ${failed.map((s) => `${s.name} v${s.version} at ${s.failure?.position ?? '?'}`).join(', ')}`,
          );
        }
        const behind = live.filter((s) => BigInt(s.lag) > BigInt(this.options.maxLagEvents));
        if (behind.length > 0) {
          throw new Error(
            `live projection lags more than ${this.options.maxLagEvents} events: ${behind.map((s) => `${s.name} v${s.version} by ${s.lag}`).join(', ')}`,
          );
        }
      }),
      check('claimsBackfill', async () => {
        const { state } = this.claimsBackfill;
        if (state.phase !== 'done')
          throw new Error(`backfilling: ${describeClaimsBackfill(state)}`);
      }),
    ]);
    const ready = checks.every((c) => c.ready);
    res.status(ready ? 200 : 503);
    if (!ready) res.setHeader('Retry-After', '2');
    return { ready, checks };
  }
}

async function check(name: Check['name'], probe: () => Promise<void>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([probe(), timeout]);
    return { name, ready: true };
  } catch (error) {
    return { name, ready: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Infrastructure } from '../eventstore/infrastructure';
import type { ProjectionAdmin } from '../projection-runner/projection-admin';
import { INFRASTRUCTURE, PROJECTION_ADMIN } from '../tokens';
import { Public } from './auth/access.decorators';

/** A check that has not answered by then counts as not ready (a stalled network hangs, not fails). */
const CHECK_TIMEOUT_MS = 2_000;

interface Check {
  name: 'store' | 'readDatabase' | 'projections';
  ready: boolean;
  reason?: string;
}

export interface ReadyBody {
  ready: boolean;
  checks: Check[];
}

/**
 * Readiness: the event store and the read database answer, and no live projection has failed.
 * 200 when all hold, else 503 with the checks that do not.
 */
@Controller('ready')
@Public()
export class ReadyController {
  constructor(
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    @Inject(PROJECTION_ADMIN) private readonly admin: ProjectionAdmin,
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
        const failed = (await this.admin.status()).filter((s) => s.live && s.status === 'failed');
        if (failed.length > 0) {
          throw new Error(
            `live projection failed: ${failed.map((s) => `${s.name} v${s.version} at ${s.failure?.position ?? '?'}`).join(', ')}`,
          );
        }
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

import { Controller, Get, Inject } from '@nestjs/common';
import type { Infrastructure } from '../eventstore/infrastructure';
import { INFRASTRUCTURE } from '../tokens';
import { Public } from './auth/access.decorators';

/** Liveness only: it asks nothing of the database, so it answers at once during an outage too. */
@Controller('health')
@Public()
export class HealthController {
  constructor(@Inject(INFRASTRUCTURE) private readonly infra: Infrastructure) {}

  @Get()
  health(): { status: 'ok'; storage: string } {
    // The kind of storage, not the data folder's path: where it lives is no caller's business.
    return { status: 'ok', storage: this.infra.describe.replace(/ in .*$/, '') };
  }
}

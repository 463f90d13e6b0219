import { Controller, Get, Inject } from '@nestjs/common';
import type { Infrastructure } from '../eventstore/infrastructure';
import { INFRASTRUCTURE } from '../tokens';

/** Liveness only: it asks nothing of the database, so it answers at once during an outage too. */
@Controller('health')
export class HealthController {
  constructor(@Inject(INFRASTRUCTURE) private readonly infra: Infrastructure) {}

  @Get()
  health(): { status: 'ok'; storage: string } {
    return { status: 'ok', storage: this.infra.describe };
  }
}

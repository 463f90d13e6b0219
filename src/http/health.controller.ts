import { Controller, Get, Inject } from '@nestjs/common';
import type { Infrastructure } from '../eventstore/infrastructure';
import { INFRASTRUCTURE } from '../tokens';

@Controller('health')
export class HealthController {
  constructor(@Inject(INFRASTRUCTURE) private readonly infra: Infrastructure) {}

  @Get()
  async health(): Promise<{ status: 'ok'; storage: string; headPosition: string }> {
    const head = await this.infra.eventStore.headPosition();
    return { status: 'ok', storage: this.infra.describe, headPosition: head.toString() };
  }
}

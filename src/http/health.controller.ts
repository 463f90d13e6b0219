import { Controller, Get, Inject } from '@nestjs/common';
import type { Infrastructure } from '../eventstore/infrastructure';
import { INFRASTRUCTURE } from '../tokens';
import { Public } from './auth/access.decorators';

@Controller('health')
@Public()
export class HealthController {
  constructor(@Inject(INFRASTRUCTURE) private readonly infra: Infrastructure) {}

  @Get()
  async health(): Promise<{ status: 'ok'; storage: string; headPosition: string }> {
    const head = await this.infra.eventStore.headPosition();
    // The kind of storage, not the data folder's path: where it lives is no caller's business.
    const storage = this.infra.describe.replace(/ in .*$/, '');
    return { status: 'ok', storage, headPosition: head.toString() };
  }
}

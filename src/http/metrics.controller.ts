import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Metrics } from '../metrics/metrics';
import { Roles } from './auth/access.decorators';

/** The Prometheus scrape endpoint. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  @Get()
  @Roles('operator')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}

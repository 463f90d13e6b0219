import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projection-runner/projections.module';
import { Metrics } from './metrics';

/**
 * The registry of this app's Prometheus metrics; the HTTP layer (wired in the app module) counts
 * commands into it and serves it at GET /metrics.
 */
@Module({
  imports: [ProjectionsModule],
  providers: [Metrics],
  exports: [Metrics],
})
export class MetricsModule {}

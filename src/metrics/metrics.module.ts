import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MetricsController } from '../http/metrics.controller';
import { ProjectionsModule } from '../projection-runner/projections.module';
import { CommandMetricsInterceptor } from './command-metrics.interceptor';
import { Metrics } from './metrics';

/** Prometheus metrics at GET /metrics: commands, appends, projection positions and lag. */
@Module({
  imports: [ProjectionsModule],
  controllers: [MetricsController],
  providers: [Metrics, { provide: APP_INTERCEPTOR, useClass: CommandMetricsInterceptor }],
  exports: [Metrics],
})
export class MetricsModule {}

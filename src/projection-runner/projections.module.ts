import {
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { projectionDefinitions } from '../../projections';
import type { Infrastructure } from '../eventstore/infrastructure';
import { INFRASTRUCTURE, PROJECTION_ADMIN } from '../tokens';
import { ProjectionAdmin } from './projection-admin';

/** Keeps every active projection version following the log for as long as the service runs. */
@Module({
  providers: [
    {
      provide: PROJECTION_ADMIN,
      inject: [INFRASTRUCTURE],
      useFactory: (infra: Infrastructure) =>
        ProjectionAdmin.open(
          infra.eventStore,
          infra.sql,
          projectionDefinitions,
          infra.projectionBatchSize,
        ),
    },
  ],
  exports: [PROJECTION_ADMIN],
})
export class ProjectionsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(PROJECTION_ADMIN) private readonly admin: ProjectionAdmin) {}

  onApplicationBootstrap(): void {
    this.admin.runner.start((name, version) => {
      try {
        return this.admin.catalog.definition(name, version);
      } catch {
        return undefined; // a version built by another build of the service: not ours to run
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.runner.stop();
  }
}

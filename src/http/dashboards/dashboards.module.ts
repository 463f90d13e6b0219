import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '../../dashboards/clock';
import { ReadModel } from '../../dashboards/read-model';
import { ReadModelLag } from '../../dashboards/read-model-lag';
import type { SqlClient } from '../../eventstore/sql/sql-client';
import type { ProjectionAdmin } from '../../projection-runner/projection-admin';
import { ProjectionsModule } from '../../projection-runner/projections.module';
import { PROJECTION_ADMIN, SQL_CLIENT } from '../../tokens';
import { DashboardsController } from './dashboards.controller';

/** The managers' dashboards; `CLOCK` is the day they count as today unless a request says `asOf`. */
@Module({
  imports: [ProjectionsModule],
  controllers: [DashboardsController],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    {
      provide: ReadModel,
      inject: [SQL_CLIENT],
      useFactory: (sql: SqlClient) => new ReadModel(sql),
    },
    {
      provide: ReadModelLag,
      inject: [PROJECTION_ADMIN],
      useFactory: (admin: ProjectionAdmin) => new ReadModelLag(admin),
    },
  ],
})
export class DashboardsModule {}

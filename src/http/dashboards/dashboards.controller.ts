import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import type { z } from 'zod';
import { instanceDetail, projects, suppliers, taskTypes } from '../../dashboards/catalog.queries';
import { CLOCK, type Clock } from '../../dashboards/clock';
import {
  DueWeeksParamsSchema,
  InstanceIdSchema,
  InstancesParamsSchema,
  ListParamsSchema,
  ProgressParamsSchema,
} from '../../dashboards/dashboard-params';
import { dueWeeks } from '../../dashboards/due-weeks.query';
import { dueWindow } from '../../dashboards/due-window';
import { instances } from '../../dashboards/instances.query';
import { progressPage } from '../../dashboards/progress.query';
import { ReadModel } from '../../dashboards/read-model';
import { ReadModelLag } from '../../dashboards/read-model-lag';
import { Roles } from '../auth/access.decorators';
import { fieldIssues, RequestValidationError } from '../errors/request-validation.error';

function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const result = schema.safeParse(query);
  if (!result.success)
    throw new RequestValidationError(
      fieldIssues(result.error, 'query', (path) => path.join('.') || 'query'),
    );
  return result.data;
}

/** Managers' reads of the live V2 read model (the stable `supplier_tasks` views). */
@Roles('manager')
@Controller()
export class DashboardsController {
  constructor(
    @Inject(ReadModel) private readonly model: ReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ReadModelLag) private readonly lagOf: ReadModelLag,
  ) {}

  @Get('dashboards/progress')
  async progress(@Query() query: unknown) {
    const {
      by,
      asOf = this.clock.today(),
      dueSoonDays,
      limit,
      cursor,
      ...filters
    } = parseQuery(ProgressParamsSchema, query);
    const page = await progressPage(this.model, by, filters, dueWindow(asOf, dueSoonDays), {
      limit,
      cursor,
    });
    return { asOf, by, dueSoonDays, ...page };
  }

  @Get('dashboards/due-weeks')
  async dueWeeks(@Query() query: unknown) {
    const { asOf = this.clock.today(), ...filters } = parseQuery(DueWeeksParamsSchema, query);
    return { asOf, ...(await dueWeeks(this.model, filters, asOf)) };
  }

  @Get('dashboards/instances')
  instances(@Query() query: unknown) {
    const {
      asOf = this.clock.today(),
      dueSoonDays,
      ...params
    } = parseQuery(InstancesParamsSchema, query);
    return instances(this.model, params, dueWindow(asOf, dueSoonDays));
  }

  @Get('dashboards/lag')
  lag() {
    return this.lagOf.current();
  }

  @Get('suppliers')
  suppliers(@Query() query: unknown) {
    return suppliers(this.model, parseQuery(ListParamsSchema, query));
  }

  @Get('projects')
  projects(@Query() query: unknown) {
    return projects(this.model, parseQuery(ListParamsSchema, query));
  }

  @Get('task-types')
  taskTypes(@Query() query: unknown) {
    return taskTypes(this.model, parseQuery(ListParamsSchema, query));
  }

  @Get('supplier-task-instances/:id')
  async instance(@Param('id') id: string) {
    if (!InstanceIdSchema.safeParse(id).success)
      throw new RequestValidationError([{ field: 'id', in: 'path', reason: 'not a uuid' }]);
    const detail = await instanceDetail(this.model, id);
    if (detail === undefined) throw new NotFoundException(`no supplier task instance ${id}`);
    return detail;
  }
}

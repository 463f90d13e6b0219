import {
  Body,
  ForbiddenException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Roles } from './auth/access.decorators';
import { principalOf } from './auth/principal';
import {
  fieldIssues,
  RequestValidationError,
  type InputLocation,
} from './errors/request-validation.error';
import { MigrationReportSchema } from '../migration-report/migration-report';
import { migrationReportHtml } from '../migration-report/migration-report.html';
import type { MigrationRecord } from '../migration-report/migration-runs';
import type { ProjectionAdmin } from '../projection-runner/projection-admin';
import { PROJECTION_ADMIN } from '../tokens';

function parse<T>(
  schema: z.ZodType<T>,
  value: unknown,
  location: InputLocation,
  prefix: string,
): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new RequestValidationError(
      fieldIssues(result.error, location, (path) => [prefix, ...path.map(String)].join('.')),
    );
  }
  return result.data;
}

const REPORT_TYPES = ['application/json', 'text/markdown', 'text/html'] as const;

/** Every migration run with its report: what `migrate` and `projections validate` recorded. */
@Controller('migrations')
export class MigrationsController {
  constructor(@Inject(PROJECTION_ADMIN) private readonly admin: ProjectionAdmin) {}

  @Get()
  @Roles('operator')
  list(): Promise<MigrationRecord[]> {
    return this.admin.migrations.list();
  }

  /**
   * The CLI records its run here when the service owns the store (the report is computed by the
   * run). A migration switches, which only an admin may: so only an admin key records one; an
   * operator records the validations it may run.
   */
  @Post()
  @Roles('operator')
  @HttpCode(204)
  record(@Body() body: unknown, @Req() req: Request): Promise<void> {
    const report = parse(MigrationReportSchema, body, 'body', 'body');
    if (report.kind === 'migrate' && !principalOf(req)?.roles.includes('admin')) {
      throw new ForbiddenException('only an admin key may record a migration run');
    }
    return this.admin.recordMigration(report);
  }

  /** JSON unless the client asks for `text/markdown` (the document to sign) or `text/html`. */
  @Get(':id/report')
  @Roles('operator')
  async report(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const runId = parse(z.uuid(), id, 'path', 'id');
    const found = await this.admin.migrations.report(runId);
    if (!found)
      throw new NotFoundException({ error: 'NOT_FOUND', message: `no migration run ${runId}` });
    const type = req.accepts([...REPORT_TYPES]) || 'application/json';
    res.status(200).vary('Accept');
    if (type === 'text/markdown') {
      res.type('text/markdown; charset=utf-8').send(found.markdown);
    } else if (type === 'text/html') {
      res
        .type('text/html; charset=utf-8')
        .send(migrationReportHtml(found.markdown, `Migration ${runId}`));
    } else {
      res.json(found.report);
    }
  }
}

import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
} from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { Roles } from './auth/access.decorators';
import { fieldIssues, RequestValidationError } from './errors/request-validation.error';
import { principalOf } from './auth/principal';
import type { MigrationSummary } from '../projection-runner/migration-summary';
import type { LiveVersion, ProjectionAdmin } from '../projection-runner/projection-admin';
import { ProjectionCommandError } from '../projection-runner/projection-catalog';
import type { ProjectionVersionStatus, SkippedEvent } from '../projection-runner/projection-status';
import type { ValidationReport } from '../projection-runner/projection-validator';
import { PROJECTION_ADMIN } from '../tokens';

const version = z.coerce.number().int().min(1);
const rebuildBody = z.object({ version, restart: z.boolean().default(false) });
const validateBody = z.object({ version, against: z.enum(['live', 'legacy_v1']).default('live') });
const switchBody = z.object({ version, force: z.boolean().default(false) });
const retireBody = z.object({ version, force: z.boolean().default(false) });
const resumeBody = z.object({ version: version.optional() });
const skipBody = z.object({
  version,
  eventId: z.string().min(1).max(200),
  reason: z.string().trim().min(1, 'say why the event is skipped').max(2000),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new RequestValidationError(
      fieldIssues(result.error, 'body', (path) => ['body', ...path.map(String)].join('.')),
    );
  }
  return result.data;
}

/** Who decided is the key's principal, as for every command: not a field the caller fills in. */
function actorOf(req: IncomingMessage): string {
  const principal = principalOf(req);
  if (!principal) return 'anonymous';
  return `${principal.name}${principal.onBehalfOf ? ` for ${principal.onBehalfOf}` : ''}`;
}

/** A refused migration step (not built, not validated, live, …) is a conflict with the current state. */
async function step<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ProjectionCommandError)
      throw new ConflictException({ error: 'PROJECTION', message: error.message });
    throw error;
  }
}

/** The migration's admin API: what the CLI uses when the service owns the embedded database. */
@Controller()
export class ProjectionsController {
  constructor(@Inject(PROJECTION_ADMIN) private readonly admin: ProjectionAdmin) {}

  @Get('projections')
  @Roles('operator')
  status(): Promise<ProjectionVersionStatus[]> {
    return this.admin.status();
  }

  @Get('projections/:name/latest-version')
  @Roles('operator')
  latest(@Param('name') name: string): Promise<{ version: number }> {
    return step(async () => ({ version: this.admin.latestVersion(name) }));
  }

  /** The live pointer and the retention it started (what a migration report's rollback and retention say). */
  @Get('projections/:name/live')
  @Roles('operator')
  live(@Param('name') name: string): Promise<LiveVersion> {
    return step(() => this.admin.live(name));
  }

  /** Starts (or continues) a rebuild; the service's projection loop applies it while it serves. */
  @Post('projections/:name/rebuild')
  @Roles('operator')
  @HttpCode(202)
  rebuild(@Param('name') name: string, @Body() body: unknown): Promise<ProjectionVersionStatus> {
    const { version: v, restart } = parse(rebuildBody, body);
    return step(async () => {
      await this.admin.rebuild(name, v, restart);
      return this.admin.versionStatus(name, v);
    });
  }

  @Post('projections/:name/validate')
  @Roles('operator')
  @HttpCode(200)
  validate(@Param('name') name: string, @Body() body: unknown): Promise<ValidationReport> {
    const { version: v, against } = parse(validateBody, body);
    return step(() => this.admin.validate(name, v, against));
  }

  @Post('projections/:name/switch')
  @Roles('admin')
  @HttpCode(204)
  switchTo(@Param('name') name: string, @Body() body: unknown): Promise<void> {
    const { version: v, force } = parse(switchBody, body);
    return step(() => this.admin.switchTo(name, v, force));
  }

  @Post('projections/:name/rollback')
  @Roles('admin')
  @HttpCode(200)
  rollback(@Param('name') name: string): Promise<{ version: number }> {
    return step(async () => ({ version: await this.admin.rollback(name) }));
  }

  @Post('projections/:name/retire')
  @Roles('admin')
  @HttpCode(204)
  retire(
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() req: IncomingMessage,
  ): Promise<void> {
    const { version: v, force } = parse(retireBody, body);
    return step(() => this.admin.retire(name, v, force, actorOf(req)));
  }

  @Post('projections/:name/resume')
  @Roles('operator')
  @HttpCode(200)
  resume(@Param('name') name: string, @Body() body: unknown): Promise<{ version: number }> {
    const { version: v } = parse(resumeBody, body);
    return step(async () => ({ version: await this.admin.resume(name, v) }));
  }

  /** The operator's recorded escape past the event a version is stopped at (who, when, why). */
  @Post('projections/:name/skip')
  @Roles('operator')
  @HttpCode(200)
  skip(
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() req: IncomingMessage,
  ): Promise<SkippedEvent> {
    const { version: v, eventId, reason } = parse(skipBody, body);
    return step(() => this.admin.skip(name, v, eventId, reason, actorOf(req)));
  }

  @Get('summary')
  @Roles('manager', 'operator')
  summary(): Promise<MigrationSummary> {
    return step(() => this.admin.summary());
  }
}

import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { z } from 'zod';
import { ACTOR_PAGE_DEFAULT_LIMIT, type ActorTrail } from '../../application/audit/actor-trail';
import type { AuditedEvent } from '../../application/audit/audited-event';
import { AuditQueries } from '../../application/audit/audit-queries';
import type { CorrelationTrail } from '../../application/audit/correlation-trail';
import type { EntityAsOf } from '../../application/audit/entity-as-of';
import { LogExportQuerySchema, toLogExportFilter } from '../../application/audit/log-export-query';
import type { Moment } from '../../application/audit/stream-fold';
import { Roles } from '../auth/access.decorators';
import { STREAM_PAGE_DEFAULT_LIMIT, type StreamPage } from '../../application/audit/stream-page';
import { StreamHistory, type StreamHistoryView } from '../../application/audit/stream-history';
import {
  fieldIssues,
  RequestValidationError,
  type InputLocation,
} from '../errors/request-validation.error';
import {
  ActorQuerySchema,
  EntityPathSchema,
  EntityQuerySchema,
  StreamIdSchema,
  StreamPageQuerySchema,
  UpcastFlagSchema,
} from './audit-query.schemas';

export const AUDIT_PATHS = {
  stream: '/audit/streams/:streamId',
  event: '/audit/events/:eventId',
  entity: '/audit/entities/:kind/:id',
  correlation: '/audit/correlations/:correlationId',
  actor: '/audit/actors/:actor',
  log: '/audit/log',
  /** The first auditors' route, kept for its callers: every event, raw and upcast, no paging. */
  legacyStream: '/streams/:streamId/events',
} as const;

const issuesOf = (error: z.ZodError, location: InputLocation) =>
  fieldIssues(error, location, (path) => path.map(String).join('.') || location);

const parse = <S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: InputLocation,
): z.output<S> => {
  const result = schema.safeParse(value);
  if (!result.success) throw new RequestValidationError(issuesOf(result.error, location));
  return result.data;
};

/** The path and the query parsed together, so every bad field is named in one answer. */
const parseBoth = <P extends z.ZodType, Q extends z.ZodType>(
  path: [P, unknown],
  query: [Q, unknown],
): [z.output<P>, z.output<Q>] => {
  const p = path[0].safeParse(path[1]);
  const q = query[0].safeParse(query[1]);
  if (!p.success || !q.success) {
    throw new RequestValidationError([
      ...(p.success ? [] : issuesOf(p.error, 'path')),
      ...(q.success ? [] : issuesOf(q.error, 'query')),
    ]);
  }
  return [p.data, q.data];
};

/**
 * Auditors: who changed what, when and why, and what it looked like then, read from the event
 * store itself (never a projection), so the answers hold while projections rebuild or fail.
 */
@Controller()
@Roles('auditor')
export class AuditController {
  constructor(
    @Inject(AuditQueries) private readonly audit: AuditQueries,
    @Inject(StreamHistory) private readonly history: StreamHistory,
  ) {}

  @Get(AUDIT_PATHS.stream)
  async stream(
    @Param('streamId') streamId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<StreamPage> {
    parse(StreamIdSchema, streamId, 'path');
    const { fromRevision = 0, limit = STREAM_PAGE_DEFAULT_LIMIT } = parse(
      StreamPageQuerySchema,
      query,
      'query',
    );
    const page = await this.audit.stream(
      streamId,
      fromRevision,
      limit,
      `/audit/streams/${encodeURIComponent(streamId)}`,
    );
    if (page === undefined) throw new NotFoundException(`stream ${streamId} has no events`);
    return page;
  }

  @Get(AUDIT_PATHS.event)
  async event(@Param('eventId') eventId: string): Promise<AuditedEvent> {
    const event = await this.audit.event(eventId);
    if (event === undefined) throw new NotFoundException(`no event ${eventId}`);
    return event;
  }

  @Get(AUDIT_PATHS.entity)
  async entity(
    @Param() params: Record<string, unknown>,
    @Query() query: Record<string, unknown>,
  ): Promise<EntityAsOf> {
    const [{ kind, id }, { asOf, clock, position, ...parent }] = parseBoth(
      [EntityPathSchema, params],
      [EntityQuerySchema, query],
    );
    const moment: Moment =
      position !== undefined
        ? { by: 'position', position }
        : asOf !== undefined
          ? { by: clock ?? 'business', at: Date.parse(asOf) }
          : { by: 'now' };
    const found = await this.audit.entity(kind, id, moment, parent);
    if (found === undefined) {
      const then =
        asOf !== undefined
          ? ` as of ${asOf} (${clock ?? 'business'} time)`
          : position !== undefined
            ? ` at position ${position}`
            : '';
      throw new NotFoundException(`no ${kind} ${id}${then}`);
    }
    return {
      kind,
      id,
      ...(asOf !== undefined && { asOf, clock: clock ?? 'business' }),
      ...found,
    };
  }

  @Get(AUDIT_PATHS.correlation)
  async correlation(@Param('correlationId') correlationId: string): Promise<CorrelationTrail> {
    const trail = await this.audit.correlation(correlationId);
    if (trail === undefined)
      throw new NotFoundException(`no event has correlation id ${correlationId}`);
    return trail;
  }

  @Get(AUDIT_PATHS.actor)
  actor(
    @Param('actor') actor: string,
    @Query() query: Record<string, unknown>,
  ): Promise<ActorTrail> {
    const { limit = ACTOR_PAGE_DEFAULT_LIMIT, ...range } = parse(ActorQuerySchema, query, 'query');
    return this.audit.actor(
      { actor, limit, ...range },
      `/audit/actors/${encodeURIComponent(actor)}`,
    );
  }

  /** ndjson in the export format, a page of the log at a time as the client takes it. */
  @Get(AUDIT_PATHS.log)
  async log(@Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const { upcast, ...filters } = query;
    const upcastForms = parse(UpcastFlagSchema, upcast, 'query');
    const filter = toLogExportFilter(parse(LogExportQuerySchema, filters, 'query'), upcastForms);
    res.status(200).setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    // A failure after the first bytes can only cut the response short: the client sees it end
    // without its last newline-terminated line.
    await pipeline(Readable.from(this.audit.log(filter)), res).catch(() => res.destroy());
  }

  @Get(AUDIT_PATHS.legacyStream)
  async legacyStream(
    @Param('streamId') streamId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamHistoryView> {
    parse(StreamIdSchema, streamId, 'path');
    const view = await this.history.read(streamId);
    if (view === undefined) throw new NotFoundException(`stream ${streamId} has no events`);
    res.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}

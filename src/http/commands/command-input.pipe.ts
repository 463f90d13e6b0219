import { randomUUID } from 'node:crypto';
import { Injectable, type PipeTransform } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import type { CommandRequest } from '../../application/decider.command';
import type { ExpectedStreamRevision } from '../../application/command-executor';
import type { DomainCommand } from '../../domain/shared/decider';
import {
  fieldIssues,
  RequestValidationError,
  type FieldIssue,
} from '../errors/request-validation.error';
import type { Request } from 'express';
import type { Principal } from '../auth/principal';
import { ENVELOPE_FIELDS } from './command-envelope';
import type { CommandRoute } from './command-route';
import type { RequestIds } from './request-ids';

/** What the pipe validates: the parts of the request a command is made of. */
export interface RawCommandInput {
  route: CommandRoute;
  params: Record<string, string>;
  body: unknown;
  headers: Request['headers'];
  ids: RequestIds;
  /** The API key the request came with: the events' actor. */
  principal: Principal;
}

/** Business time may run ahead of this server's clock by this much, no more. */
const CLOCK_SKEW_MS = 60_000;
const IF_MATCH = /^(?:W\/)?"?(\d{1,15})"?$/;

/** Body fields are named after the command: `data.<field>`, or `metadata.<field>` for the envelope. */
const bodyField = (path: ReadonlyArray<PropertyKey>): string => {
  const [first] = path;
  if (first === undefined) return 'body';
  const prefix = ENVELOPE_FIELDS.has(String(first)) ? 'metadata' : 'data';
  return [prefix, ...path.map(String)].join('.');
};
const pathField = (path: ReadonlyArray<PropertyKey>): string =>
  ['data', ...path.map(String)].join('.');

interface HeaderValues {
  expectedRevision?: ExpectedStreamRevision;
}

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(',') : value;

const readHeaders = (headers: RawCommandInput['headers'], issues: FieldIssue[]): HeaderValues => {
  const values: HeaderValues = {};
  const ifMatch = single(headers['if-match'])?.trim();
  if (ifMatch === '*') values.expectedRevision = 'stream_exists';
  else if (ifMatch !== undefined) {
    const revision = IF_MATCH.exec(ifMatch)?.[1];
    if (revision === undefined) {
      issues.push({
        field: 'headers.if-match',
        in: 'header',
        reason: 'a stream revision as returned in ETag, e.g. "3", or *',
      });
    } else values.expectedRevision = Number(revision);
  }
  return values;
};

/**
 * Builds the domain command of a route from the path, the body and the headers, naming every
 * bad field at once. Business time is when the request arrived unless the caller back-dates.
 */
@Injectable()
export class CommandInputPipe implements PipeTransform<
  RawCommandInput,
  CommandRequest<DomainCommand>
> {
  transform(raw: RawCommandInput): CommandRequest<DomainCommand> {
    const { route } = raw;
    // A keyed retry keeps its first attempt's time, so that it decides the same events.
    const now = raw.ids.receivedAt;
    const issues: FieldIssue[] = [];
    const params = route.params.safeParse(raw.params);
    if (!params.success) issues.push(...fieldIssues(params.error, 'path', pathField));
    const body = route.body.safeParse(raw.body ?? {});
    if (!body.success) issues.push(...fieldIssues(body.error, 'body', bodyField));
    const headers = readHeaders(raw.headers, issues);
    const input: Record<string, unknown> = body.success ? body.data : {};
    const { occurredAt, ...fields } = input;
    const occurredAtMs = typeof occurredAt === 'string' ? Date.parse(occurredAt) : now;
    if (occurredAtMs > now + CLOCK_SKEW_MS) {
      issues.push({ field: 'metadata.occurredAt', in: 'body', reason: 'is in the future' });
    }
    if (issues.length > 0 || !params.success) throw new RequestValidationError(issues);
    const data: Record<string, unknown> = { ...fields, ...params.data };
    let expectedRevision = headers.expectedRevision;
    const { keyed } = raw.ids;
    if (route.newId !== undefined && data[route.newId] === undefined) {
      // Derived from the key and the request when keyed: a retry creates the same entity.
      data[route.newId] = keyed ? uuidv5(`id:${route.newId}`, keyed.seed) : randomUUID();
      if (route.newStream) expectedRevision ??= 'no_stream';
    }
    const metadata = {
      occurredAt: new Date(occurredAtMs).toISOString(),
      actor: raw.principal.name,
      ...(raw.principal.onBehalfOf === undefined ? {} : { onBehalfOf: raw.principal.onBehalfOf }),
      correlationId: raw.ids.correlationId,
      causationId: raw.ids.requestId,
      ...(keyed ? { idempotency: keyed } : {}),
    };
    return {
      command: { type: route.command, data, metadata },
      expectedRevision,
    };
  }
}

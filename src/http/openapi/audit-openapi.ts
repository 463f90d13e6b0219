import { z } from 'zod';
import { ActorTrailSchema } from '../../application/audit/actor-trail';
import { AuditedEventSchema, type AuditedEvent } from '../../application/audit/audited-event';
import { CorrelationTrailSchema } from '../../application/audit/correlation-trail';
import { EntityAsOfSchema } from '../../application/audit/entity-as-of';
import { LogExportQuerySchema } from '../../application/audit/log-export-query';
import { StreamHistorySchema } from '../../application/audit/stream-history';
import { StreamPageSchema } from '../../application/audit/stream-page';
import { AUDIT_PATHS } from '../audit/audit.controller';
import {
  ActorQuerySchema,
  EntityPathSchema,
  EntityQuerySchema,
  StreamIdSchema,
  StreamPageQuerySchema,
} from '../audit/audit-query.schemas';
import { ErrorBodySchema, ValidationErrorBodySchema } from '../errors/error-response';

type JsonSchema = Record<string, unknown>;

const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

// The seed history's first status change, as the audit routes show it.
const V1_EVENT: AuditedEvent = {
  position: '19',
  streamId: 'supplierproject-b17716e5-e881-509a-9caf-9dfb9dbad646',
  revision: 5,
  eventId: '60cd5580-363e-51e6-bba3-f36220e8988a',
  metadata: {
    actor: 'j.keller@acme.example',
    onBehalfOf: null,
    occurredAt: '2025-05-05T11:10:00.000Z',
    recordedAt: '2026-12-01T21:00:00.000Z',
    correlationId: 'ba8695ab-cfc9-5b1a-9da2-cae6d3e816ad',
    causationId: null,
  },
  raw: {
    type: 'SupplierTaskStatusChanged',
    schemaVersion: 1,
    data: {
      supplierProjectInstanceId: 'b17716e5-e881-509a-9caf-9dfb9dbad646',
      supplierTaskInstanceId: 'b84bf8fe-cda6-56db-a626-e4896ddbbcfa',
      from: 'NOT_STARTED',
      to: 'IN_PROGRESS',
    },
    metadata: {
      occurredAt: '2025-05-05T11:10:00.000Z',
      actor: 'j.keller@acme.example',
      correlationId: 'ba8695ab-cfc9-5b1a-9da2-cae6d3e816ad',
    },
  },
  upcast: [
    {
      eventId: '60cd5580-363e-51e6-bba3-f36220e8988a',
      type: 'SupplierTaskStatusChanged',
      schemaVersion: 2,
      data: {
        supplierProjectInstanceId: 'b17716e5-e881-509a-9caf-9dfb9dbad646',
        supplierTaskInstanceId: 'b84bf8fe-cda6-56db-a626-e4896ddbbcfa',
        from: 'NOT_STARTED',
        to: 'IN_PROGRESS',
      },
      metadata: {
        occurredAt: '2025-05-05T11:10:00.000Z',
        actor: 'j.keller@acme.example',
        correlationId: 'ba8695ab-cfc9-5b1a-9da2-cae6d3e816ad',
      },
    },
  ],
};

const EXPORT_LINE = JSON.stringify({
  streamId: 'supplier-e3bf3bdb-53ad-5ed2-b8e6-9df6697119ee',
  eventId: '7ef94efb-21e2-5512-baf8-51b01385b77f',
  type: 'SupplierRegistered',
  data: {
    supplierId: 'e3bf3bdb-53ad-5ed2-b8e6-9df6697119ee',
    code: 'SUP-0001',
    name: 'Acme Castings GmbH',
  },
  metadata: {
    occurredAt: '2025-05-05T08:10:00.000Z',
    actor: 'legacy-portal',
    correlationId: 'b18f5c8a-22f2-5bfc-aac8-3fde6ed31268',
  },
  recordedAt: '2026-12-01T21:00:00.000Z',
  position: '1',
});

const queryParameters = (schema: z.ZodObject, toJson: (s: z.ZodType) => JsonSchema) =>
  Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    description: field.description,
    schema: toJson(field),
  }));

const pathParameter = (name: string, schema: JsonSchema, example: string) => ({
  name,
  in: 'path',
  required: true,
  schema,
  example,
});

/** The auditors' routes for the OpenAPI document; `toJson` is the document's schema converter. */
export function auditPaths(toJson: (schema: z.ZodType) => JsonSchema): Record<string, JsonSchema> {
  const json = (description: string, schema: z.ZodType, example?: unknown) => ({
    description,
    content: {
      'application/json': { schema: toJson(schema), ...(example !== undefined && { example }) },
    },
  });
  const badRequest = json(
    'a bad parameter, named in issues with the reason',
    ValidationErrorBodySchema,
  );
  const notFound = (what: string) => json(what, ErrorBodySchema);
  const get = (operationId: string, summary: string, rest: JsonSchema) => ({
    get: { operationId, tags: ['audit'], summary, ...rest },
  });
  const instanceId = 'b84bf8fe-cda6-56db-a626-e4896ddbbcfa';
  return {
    [openApiPath(AUDIT_PATHS.stream)]: get(
      'AuditStream',
      'Every event of a stream in order, raw and (where it differs) upcast, with who/when/why; keyset paged',
      {
        parameters: [
          pathParameter('streamId', toJson(StreamIdSchema), V1_EVENT.streamId),
          ...queryParameters(StreamPageQuerySchema, toJson),
        ],
        responses: {
          '200': json('a page of the stream', StreamPageSchema, {
            streamId: V1_EVENT.streamId,
            fromRevision: 5,
            limit: 1,
            events: [V1_EVENT],
            next: `/audit/streams/${V1_EVENT.streamId}?fromRevision=6&limit=1`,
          }),
          '400': badRequest,
          '404': notFound('the stream has no events'),
        },
      },
    ),
    [openApiPath(AUDIT_PATHS.event)]: get('AuditEvent', 'One event by id, raw and upcast', {
      parameters: [pathParameter('eventId', { type: 'string' }, V1_EVENT.eventId)],
      responses: {
        '200': json('the event', AuditedEventSchema, V1_EVENT),
        '404': notFound('no event has this id'),
      },
    }),
    [openApiPath(AUDIT_PATHS.entity)]: get(
      'AuditEntityAsOf',
      'The state of an entity as of a time (business or recorded clock) or a position, folded from its stream',
      {
        parameters: [
          pathParameter('kind', toJson(EntityPathSchema.shape.kind), 'supplier-task-instance'),
          pathParameter('id', toJson(EntityPathSchema.shape.id), instanceId),
          ...queryParameters(EntityQuerySchema, toJson),
        ],
        responses: {
          '200': json('the entity then', EntityAsOfSchema, {
            kind: 'supplier-task-instance',
            id: instanceId,
            asOf: '2025-05-05T11:15:00.000Z',
            clock: 'business',
            position: '19',
            revision: 5,
            streamId: V1_EVENT.streamId,
            state: {
              supplierProjectInstanceId: 'b17716e5-e881-509a-9caf-9dfb9dbad646',
              supplierTaskInstanceId: instanceId,
              templateId: '4e83a8f7-8a0a-55c0-a76b-c943dbcaff15',
              taskId: null,
              status: 'IN_PROGRESS',
              dueDateOverride: null,
              templateDueDate: '2025-06-15',
              effectiveDueDate: '2025-06-15',
              notes: [],
              statusHistory: [
                {
                  from: 'NOT_STARTED',
                  to: 'IN_PROGRESS',
                  occurredAt: '2025-05-05T11:10:00.000Z',
                  actor: 'j.keller@acme.example',
                },
              ],
            },
          }),
          '400': badRequest,
          '404': notFound('the entity did not exist then'),
        },
      },
    ),
    [openApiPath(AUDIT_PATHS.correlation)]: get(
      'AuditCorrelation',
      'Every event of one correlation across streams, in log order, with the causation tree (correlation-id index)',
      {
        parameters: [
          pathParameter('correlationId', { type: 'string' }, V1_EVENT.metadata.correlationId!),
        ],
        responses: {
          '200': json('the trail', CorrelationTrailSchema, {
            correlationId: V1_EVENT.metadata.correlationId,
            events: [V1_EVENT],
            causation: [{ id: V1_EVENT.eventId, kind: 'event', children: [] }],
          }),
          '404': notFound('no event has this correlation id'),
        },
      },
    ),
    [openApiPath(AUDIT_PATHS.actor)]: get(
      'AuditActor',
      'What one principal did in a business-time range, in log order, paged (actor index)',
      {
        parameters: [
          pathParameter('actor', { type: 'string' }, 'j.keller@acme.example'),
          ...queryParameters(ActorQuerySchema, toJson),
        ],
        responses: {
          '200': json('a page of the trail', ActorTrailSchema, {
            actor: 'j.keller@acme.example',
            from: '2025-05-05T11:00:00Z',
            to: '2025-05-05T12:00:00Z',
            events: [V1_EVENT],
            next: '/audit/actors/j.keller%40acme.example?from=2025-05-05T11%3A00%3A00Z&to=2025-05-05T12%3A00%3A00Z&after=19&limit=1',
          }),
          '400': badRequest,
        },
      },
    ),
    [openApiPath(AUDIT_PATHS.log)]: get(
      'AuditLog',
      'The whole log, or a filtered part, as ndjson in the export format (the input of `supplier-tasks import`), streamed',
      {
        parameters: [
          ...queryParameters(LogExportQuerySchema, toJson),
          {
            name: 'upcast',
            in: 'query',
            required: false,
            description: 'true: the upcast forms instead of the events as stored',
            schema: { type: 'string', enum: ['true', 'false'] },
          },
        ],
        responses: {
          '200': {
            description:
              'one event per line: the legacy envelope, schemaVersion for V2, recordedAt and position',
            content: {
              'application/x-ndjson': { schema: { type: 'string' }, example: `${EXPORT_LINE}\n` },
            },
          },
          '400': badRequest,
        },
      },
    ),
    [openApiPath(AUDIT_PATHS.legacyStream)]: get(
      'ReadStreamHistory',
      'Every event of a stream, raw beside its upcast form, unpaged (superseded by /audit/streams/{streamId})',
      {
        deprecated: true,
        parameters: [pathParameter('streamId', toJson(StreamIdSchema), V1_EVENT.streamId)],
        responses: {
          '200': {
            ...json('the stream; ETag is its revision', StreamHistorySchema),
            headers: { ETag: { schema: { type: 'string' } } },
          },
          '404': notFound('the stream has no events'),
        },
      },
    ),
  };
}

import { z } from 'zod';
import {
  ACTOR_PAGE_DEFAULT_LIMIT,
  ACTOR_PAGE_MAX_LIMIT,
} from '../../application/audit/actor-trail';
import { ENTITY_KINDS } from '../../application/audit/entity-as-of';
import {
  STREAM_PAGE_DEFAULT_LIMIT,
  STREAM_PAGE_MAX_LIMIT,
} from '../../application/audit/stream-page';

/** `<category>-<id>`, as every stream of this service (and of the legacy portal) is named. */
export const StreamIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]*-[\w-]{1,200}$/, 'a stream id such as supplier-<uuid>');

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,10}$/, 'must be an integer')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const position = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,18})$/, 'must be a position: a non-negative integer')
  .transform((value) => BigInt(value));

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' });
const id = z.string().regex(/^[\w-]{1,200}$/, 'must be an id');

export const StreamPageQuerySchema = z.strictObject({
  fromRevision: integer(0, 2 ** 31 - 1)
    .optional()
    .describe('the first revision of the page (default 0)'),
  limit: integer(1, STREAM_PAGE_MAX_LIMIT)
    .optional()
    .describe(
      `events per page (default ${STREAM_PAGE_DEFAULT_LIMIT}, at most ${STREAM_PAGE_MAX_LIMIT})`,
    ),
});

export const EntityPathSchema = z.object({
  kind: z.enum(ENTITY_KINDS, `must be one of ${ENTITY_KINDS.join(', ')}`),
  id,
});

export const EntityQuerySchema = z
  .strictObject({
    asOf: instant.optional().describe('the state as it was at this time'),
    clock: z
      .enum(['business', 'recorded'], 'must be business or recorded')
      .optional()
      .describe('which time asOf means: business (occurredAt, the default) or recorded'),
    position: position.optional().describe('the state after the log up to this position'),
    taskTypeId: id
      .optional()
      .describe('a section or task: its task type (found by a read when absent)'),
    projectId: id.optional().describe('a template: its project (found by a read when absent)'),
    supplierProjectInstanceId: id
      .optional()
      .describe('a supplier task instance: its supplier project (found by a read when absent)'),
  })
  .superRefine((q, ctx) => {
    if (q.asOf !== undefined && q.position !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['position'],
        message: 'give asOf or position, not both',
      });
    if (q.clock !== undefined && q.asOf === undefined)
      ctx.addIssue({ code: 'custom', path: ['clock'], message: 'only with asOf' });
  });

export const ActorQuerySchema = z
  .strictObject({
    from: instant.optional().describe('business time (occurredAt) from, inclusive'),
    to: instant.optional().describe('business time (occurredAt) to, exclusive'),
    after: position.optional().describe('the page after this position (from the next link)'),
    limit: integer(1, ACTOR_PAGE_MAX_LIMIT)
      .optional()
      .describe(
        `events per page (default ${ACTOR_PAGE_DEFAULT_LIMIT}, at most ${ACTOR_PAGE_MAX_LIMIT})`,
      ),
  })
  .refine(
    (q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to),
    {
      path: ['to'],
      message: 'must be after from',
    },
  );

export const UpcastFlagSchema = z
  .enum(['true', 'false'], 'must be true or false')
  .optional()
  .transform((value) => value === 'true');

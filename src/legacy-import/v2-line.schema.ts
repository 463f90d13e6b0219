import { z } from 'zod';
import { ProjectEventSchema, PROJECT_STREAM_CATEGORY } from '../domain/project/project.events';
import {
  SupplierProjectEventSchema,
  SUPPLIER_PROJECT_STREAM_CATEGORY,
} from '../domain/supplier-project/supplier-project.events';
import { SupplierEventSchema, SUPPLIER_STREAM_CATEGORY } from '../domain/supplier/supplier.events';
import {
  TaskTypeEventSchema,
  TASK_TYPE_STREAM_CATEGORY,
} from '../domain/task-type/task-type.events';

/** Each category's V2 events, as the domain that writes them defines them. */
const EVENTS_OF_CATEGORY: Record<string, z.ZodType> = {
  [SUPPLIER_STREAM_CATEGORY]: SupplierEventSchema,
  [PROJECT_STREAM_CATEGORY]: ProjectEventSchema,
  [TASK_TYPE_STREAM_CATEGORY]: TaskTypeEventSchema,
  [SUPPLIER_PROJECT_STREAM_CATEGORY]: SupplierProjectEventSchema,
};

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const STREAM_ID = new RegExp(`^(${Object.keys(EVENTS_OF_CATEGORY).join('|')})-${UUID}$`);

/**
 * One V2 line of an export: the legacy envelope with the event's `schemaVersion`. The event is
 * checked against the domain's own schema for its stream's category; what is stored is the line's
 * own `data` and `metadata`, unchanged, so a restore gives back the same bytes.
 */
export const v2LineSchema = z
  .looseObject({
    streamId: z
      .string()
      .regex(STREAM_ID, 'must be <supplier|project|tasktype|supplierproject>-<lowercase uuid>'),
    eventId: z.uuid('must be a uuid'),
    type: z.string().min(1),
    schemaVersion: z.number().int().min(2),
    data: z.record(z.string(), z.unknown()),
    metadata: z.looseObject({
      occurredAt: z.iso.datetime({ message: 'must be an ISO-8601 UTC date-time' }),
      actor: z.string(),
      correlationId: z.string().optional(),
      causationId: z.string().optional(),
    }),
  })
  .superRefine((line, ctx) => {
    const category = line.streamId.slice(0, line.streamId.indexOf('-'));
    const parsed = EVENTS_OF_CATEGORY[category]!.safeParse({
      type: line.type,
      schemaVersion: line.schemaVersion,
      data: line.data,
      metadata: line.metadata,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path });
    }
  });

export type V2Line = z.infer<typeof v2LineSchema>;

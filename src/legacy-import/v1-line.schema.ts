import { z } from 'zod';
import {
  V1DataSchemas,
  V1EventMetadataSchema,
  V1_EVENT_TYPES,
  type V1EventType,
} from '../../upcasters/v1.events';
import { StorableTextSchema } from '../domain/shared/schemas';

const CATEGORY_OF_TYPE: Record<V1EventType, string> = {
  SupplierRegistered: 'supplier',
  SupplierRenamed: 'supplier',
  ProjectCreated: 'project',
  ProjectMilestoneTaskCreated: 'project',
  ProjectMilestoneTaskDueDateChanged: 'project',
  ProjectMilestoneTaskRemoved: 'project',
  TaskTypeCreated: 'tasktype',
  MilestoneCreated: 'tasktype',
  MilestoneRenamed: 'tasktype',
  MilestoneDeleted: 'tasktype',
  TaskCreated: 'tasktype',
  TaskRenamed: 'tasktype',
  TaskMovedToMilestone: 'tasktype',
  SupplierProjectInstanceCreated: 'supplierproject',
  SupplierTaskInstanceCreated: 'supplierproject',
  SupplierTaskStatusChanged: 'supplierproject',
  SupplierTaskDueDateOverridden: 'supplierproject',
  SupplierTaskNoteAdded: 'supplierproject',
};

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const STREAM_ID = new RegExp(`^(supplier|project|tasktype|supplierproject)-${UUID}$`);

/** One line of a legacy `.ndjson` file: the V1 envelope of EVENTS.md. Unknown fields are kept. */
export const v1LineSchema = z
  .looseObject({
    streamId: z
      .string()
      .regex(STREAM_ID, 'must be <supplier|project|tasktype|supplierproject>-<lowercase uuid>'),
    eventId: z.uuid('must be a uuid'),
    type: z.enum(V1_EVENT_TYPES as [V1EventType, ...V1EventType[]], 'is not a V1 event type'),
    data: z.record(z.string(), z.unknown()),
    metadata: V1EventMetadataSchema.extend({
      occurredAt: z.iso.datetime({ message: 'must be an ISO-8601 UTC date-time' }),
    }),
  })
  .superRefine((line, ctx) => {
    const category = CATEGORY_OF_TYPE[line.type];
    if (!line.streamId.startsWith(`${category}-`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['streamId'],
        message: `a ${line.type} belongs in a ${category}-<uuid> stream`,
      });
    }
    for (const { path, reason } of unstorableText(line)) {
      ctx.addIssue({ code: 'custom', path, message: reason });
    }
    const data = V1DataSchemas[line.type].safeParse(line.data);
    if (!data.success) {
      for (const issue of data.error.issues)
        ctx.addIssue({ ...issue, path: ['data', ...issue.path] });
    }
  });

/**
 * Every string of a line, keys included, with its path and why PostgreSQL cannot store it as
 * it is (a NUL, a lone surrogate): such an event would stop every projection that reads it.
 */
export function unstorableText(line: unknown): Array<{ path: string[]; reason: string }> {
  const found: Array<{ path: string[]; reason: string }> = [];
  const check = (text: string, path: string[]) => {
    const result = StorableTextSchema.safeParse(text);
    if (!result.success) found.push({ path, reason: result.error.issues[0]?.message ?? '' });
  };
  // Without recursion: a line may nest as deep as JSON.parse allows.
  const stack: Array<[unknown, string[]]> = [[line, []]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [value, path] = item;
    if (typeof value === 'string') check(value, path);
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        check(key, [...path, key]);
        stack.push([child, [...path, key]]);
      }
    }
  }
  return found;
}

export type V1Line = z.infer<typeof v1LineSchema>;

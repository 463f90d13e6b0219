import { z } from 'zod';
import { IdSchema, v2EventSchema } from '../shared/schemas';

export const TASK_TYPE_STREAM_CATEGORY = 'tasktype';

/** The categories the business named; any other uppercase code a user sets is valid too. */
export const ManufacturingCategories = {
  PART_APPROVAL: 'PART_APPROVAL',
  NMR: 'NMR',
  UNCLASSIFIED: 'UNCLASSIFIED',
} as const;

export const ManufacturingCategorySchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'an uppercase code such as PART_APPROVAL');

export const TaskTypeCreatedSchema = v2EventSchema(
  'TaskTypeCreated',
  z.object({
    taskTypeId: IdSchema,
    name: z.string(),
    category: z.string(),
  }),
);
export const TaskTypeRenamedSchema = v2EventSchema(
  'TaskTypeRenamed',
  z.object({ taskTypeId: IdSchema, name: z.string() }),
);
export const TaskTypeCategoryChangedSchema = v2EventSchema(
  'TaskTypeCategoryChanged',
  z.object({ taskTypeId: IdSchema, category: z.string() }),
);
export const TaskTypeSectionCreatedSchema = v2EventSchema(
  'TaskTypeSectionCreated',
  z.object({
    taskTypeId: IdSchema,
    sectionId: IdSchema,
    code: z.string(),
    name: z.string(),
    sortOrder: z.number(),
  }),
);
export const TaskTypeSectionRenamedSchema = v2EventSchema(
  'TaskTypeSectionRenamed',
  z.object({ taskTypeId: IdSchema, sectionId: IdSchema, name: z.string() }),
);
export const TaskTypeSectionDeletedSchema = v2EventSchema(
  'TaskTypeSectionDeleted',
  z.object({ taskTypeId: IdSchema, sectionId: IdSchema }),
);
export const TaskCreatedSchema = v2EventSchema(
  'TaskCreated',
  z.object({
    taskTypeId: IdSchema,
    sectionId: IdSchema,
    taskId: IdSchema,
    title: z.string(),
    sortOrder: z.number(),
    /** null for a top-level task; sub-tasks are one level deep. */
    parentTaskId: IdSchema.nullable(),
  }),
);
export const TaskRenamedSchema = v2EventSchema(
  'TaskRenamed',
  z.object({ taskTypeId: IdSchema, taskId: IdSchema, title: z.string() }),
);
/** Written once per task that changed section: a moved parent's sub-tasks get their own. */
export const TaskMovedToSectionSchema = v2EventSchema(
  'TaskMovedToSection',
  z.object({
    taskTypeId: IdSchema,
    taskId: IdSchema,
    fromSectionId: IdSchema,
    toSectionId: IdSchema,
  }),
);

export const TaskTypeEventSchema = z.discriminatedUnion('type', [
  TaskTypeCreatedSchema,
  TaskTypeRenamedSchema,
  TaskTypeCategoryChangedSchema,
  TaskTypeSectionCreatedSchema,
  TaskTypeSectionRenamedSchema,
  TaskTypeSectionDeletedSchema,
  TaskCreatedSchema,
  TaskRenamedSchema,
  TaskMovedToSectionSchema,
]);

export type TaskTypeCreated = z.infer<typeof TaskTypeCreatedSchema>;
export type TaskTypeRenamed = z.infer<typeof TaskTypeRenamedSchema>;
export type TaskTypeCategoryChanged = z.infer<typeof TaskTypeCategoryChangedSchema>;
export type TaskTypeSectionCreated = z.infer<typeof TaskTypeSectionCreatedSchema>;
export type TaskTypeSectionRenamed = z.infer<typeof TaskTypeSectionRenamedSchema>;
export type TaskTypeSectionDeleted = z.infer<typeof TaskTypeSectionDeletedSchema>;
export type TaskCreated = z.infer<typeof TaskCreatedSchema>;
export type TaskRenamed = z.infer<typeof TaskRenamedSchema>;
export type TaskMovedToSection = z.infer<typeof TaskMovedToSectionSchema>;
export type TaskTypeEvent = z.infer<typeof TaskTypeEventSchema>;
export const TASK_TYPE_EVENT_TYPES = TaskTypeEventSchema.options.map((o) => o.shape.type.value);

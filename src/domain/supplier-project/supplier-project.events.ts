import { z } from 'zod';
import { DueDateSchema, IdSchema, v2EventSchema } from '../shared/schemas';
import { SupplierTaskStatusSchema } from './supplier-task-status';

export const SUPPLIER_PROJECT_STREAM_CATEGORY = 'supplierproject';

const taskInstanceRef = {
  supplierProjectInstanceId: IdSchema,
  supplierTaskInstanceId: IdSchema,
};

export const SupplierProjectInstanceCreatedSchema = v2EventSchema(
  'SupplierProjectInstanceCreated',
  z.object({ supplierProjectInstanceId: IdSchema, supplierId: IdSchema, projectId: IdSchema }),
);
export const SupplierTaskInstanceCreatedSchema = v2EventSchema(
  'SupplierTaskInstanceCreated',
  z.object({
    ...taskInstanceRef,
    templateId: IdSchema,
    // null for instances upcast from V1, which recorded only the template; resolve via it.
    taskId: IdSchema.nullable(),
  }),
);
export const SupplierTaskStatusChangedSchema = v2EventSchema(
  'SupplierTaskStatusChanged',
  z.object({ ...taskInstanceRef, from: SupplierTaskStatusSchema, to: SupplierTaskStatusSchema }),
);
export const SupplierTaskDueDateOverriddenSchema = v2EventSchema(
  'SupplierTaskDueDateOverridden',
  z.object({ ...taskInstanceRef, dueDate: DueDateSchema }),
);
export const SupplierTaskDueDateOverrideClearedSchema = v2EventSchema(
  'SupplierTaskDueDateOverrideCleared',
  z.object(taskInstanceRef),
);
export const SupplierTaskNoteAddedSchema = v2EventSchema(
  'SupplierTaskNoteAdded',
  z.object({
    ...taskInstanceRef,
    noteId: IdSchema,
    text: z.string(),
    author: z.string(),
  }),
);

export const SupplierProjectEventSchema = z.discriminatedUnion('type', [
  SupplierProjectInstanceCreatedSchema,
  SupplierTaskInstanceCreatedSchema,
  SupplierTaskStatusChangedSchema,
  SupplierTaskDueDateOverriddenSchema,
  SupplierTaskDueDateOverrideClearedSchema,
  SupplierTaskNoteAddedSchema,
]);

export type SupplierProjectInstanceCreated = z.infer<typeof SupplierProjectInstanceCreatedSchema>;
export type SupplierTaskInstanceCreated = z.infer<typeof SupplierTaskInstanceCreatedSchema>;
export type SupplierTaskStatusChanged = z.infer<typeof SupplierTaskStatusChangedSchema>;
export type SupplierTaskDueDateOverridden = z.infer<typeof SupplierTaskDueDateOverriddenSchema>;
export type SupplierTaskDueDateOverrideCleared = z.infer<
  typeof SupplierTaskDueDateOverrideClearedSchema
>;
export type SupplierTaskNoteAdded = z.infer<typeof SupplierTaskNoteAddedSchema>;
export type SupplierProjectEvent = z.infer<typeof SupplierProjectEventSchema>;
export const SUPPLIER_PROJECT_EVENT_TYPES = SupplierProjectEventSchema.options.map(
  (o) => o.shape.type.value,
);

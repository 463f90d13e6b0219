import { z } from 'zod';
import {
  commandSchema,
  DueDateSchema,
  IdSchema,
  NonEmptyTextSchema,
  NoteTextSchema,
} from '../shared/schemas';

const taskInstanceRef = {
  supplierProjectInstanceId: IdSchema,
  supplierTaskInstanceId: IdSchema,
};

/**
 * Cross-stream check, made by the command handler and not here: it reads `supplier-<supplierId>`
 * and `project-<projectId>` first and rejects (SUPPLIER.NOT_FOUND / PROJECT.NOT_FOUND) unless
 * both exist. The read is consistent only at the time of the check (read-your-writes, no
 * cross-stream transaction); nothing stops the other streams from changing afterwards.
 */
export const CreateSupplierProjectInstancePayloadSchema = z.object({
  supplierProjectInstanceId: IdSchema,
  supplierId: IdSchema,
  projectId: IdSchema,
});
/**
 * Cross-stream check, made by the command handler and not here: it reads the project stream and
 * rejects with TEMPLATE.NOT_FOUND unless the template exists (not removed) in this instance's
 * project and refers to `taskId`. Same check-time-only consistency as above.
 */
export const CreateSupplierTaskInstancePayloadSchema = z.object({
  ...taskInstanceRef,
  templateId: IdSchema,
  taskId: IdSchema,
});
export const StartSupplierTaskPayloadSchema = z.object(taskInstanceRef);
export const CompleteSupplierTaskPayloadSchema = z.object(taskInstanceRef);
export const ReopenSupplierTaskPayloadSchema = z.object(taskInstanceRef);
export const AddSupplierTaskNotePayloadSchema = z.object({
  ...taskInstanceRef,
  noteId: IdSchema,
  text: NoteTextSchema,
  author: NonEmptyTextSchema,
});
export const OverrideSupplierTaskDueDatePayloadSchema = z.object({
  ...taskInstanceRef,
  dueDate: DueDateSchema,
});
export const ClearSupplierTaskDueDateOverridePayloadSchema = z.object(taskInstanceRef);

export const CreateSupplierProjectInstanceCommandSchema = commandSchema(
  'CreateSupplierProjectInstance',
  CreateSupplierProjectInstancePayloadSchema,
);
export const CreateSupplierTaskInstanceCommandSchema = commandSchema(
  'CreateSupplierTaskInstance',
  CreateSupplierTaskInstancePayloadSchema,
);
export const StartSupplierTaskCommandSchema = commandSchema(
  'StartSupplierTask',
  StartSupplierTaskPayloadSchema,
);
export const CompleteSupplierTaskCommandSchema = commandSchema(
  'CompleteSupplierTask',
  CompleteSupplierTaskPayloadSchema,
);
export const ReopenSupplierTaskCommandSchema = commandSchema(
  'ReopenSupplierTask',
  ReopenSupplierTaskPayloadSchema,
);
export const AddSupplierTaskNoteCommandSchema = commandSchema(
  'AddSupplierTaskNote',
  AddSupplierTaskNotePayloadSchema,
);
export const OverrideSupplierTaskDueDateCommandSchema = commandSchema(
  'OverrideSupplierTaskDueDate',
  OverrideSupplierTaskDueDatePayloadSchema,
);
export const ClearSupplierTaskDueDateOverrideCommandSchema = commandSchema(
  'ClearSupplierTaskDueDateOverride',
  ClearSupplierTaskDueDateOverridePayloadSchema,
);

export const SupplierProjectCommandSchema = z.discriminatedUnion('type', [
  CreateSupplierProjectInstanceCommandSchema,
  CreateSupplierTaskInstanceCommandSchema,
  StartSupplierTaskCommandSchema,
  CompleteSupplierTaskCommandSchema,
  ReopenSupplierTaskCommandSchema,
  AddSupplierTaskNoteCommandSchema,
  OverrideSupplierTaskDueDateCommandSchema,
  ClearSupplierTaskDueDateOverrideCommandSchema,
]);

export type CreateSupplierProjectInstance = z.infer<
  typeof CreateSupplierProjectInstanceCommandSchema
>;
export type CreateSupplierTaskInstance = z.infer<typeof CreateSupplierTaskInstanceCommandSchema>;
export type StartSupplierTask = z.infer<typeof StartSupplierTaskCommandSchema>;
export type CompleteSupplierTask = z.infer<typeof CompleteSupplierTaskCommandSchema>;
export type ReopenSupplierTask = z.infer<typeof ReopenSupplierTaskCommandSchema>;
export type AddSupplierTaskNote = z.infer<typeof AddSupplierTaskNoteCommandSchema>;
export type OverrideSupplierTaskDueDate = z.infer<typeof OverrideSupplierTaskDueDateCommandSchema>;
export type ClearSupplierTaskDueDateOverride = z.infer<
  typeof ClearSupplierTaskDueDateOverrideCommandSchema
>;
export type SupplierProjectCommand = z.infer<typeof SupplierProjectCommandSchema>;

import { z } from 'zod';
import { commandSchema, DueDateSchema, IdSchema, NonEmptyTextSchema } from '../shared/schemas';

export const CreateProjectPayloadSchema = z.object({
  projectId: IdSchema,
  code: NonEmptyTextSchema,
  name: NonEmptyTextSchema,
});
export const RenameProjectPayloadSchema = z.object({
  projectId: IdSchema,
  name: NonEmptyTextSchema,
});
/**
 * Cross-stream check, made by the command handler and not here: the handler reads
 * `tasktype-<taskTypeId>` first and rejects unless the task exists in that task type. That read
 * is only as fresh as the moment of the check (read-your-writes, no cross-stream transaction):
 * a task type changed right after it cannot undo this template.
 */
export const CreateProjectTaskTemplatePayloadSchema = z.object({
  projectId: IdSchema,
  templateId: IdSchema,
  taskTypeId: IdSchema,
  taskId: IdSchema,
  dueDate: DueDateSchema,
});
export const ChangeProjectTaskTemplateDueDatePayloadSchema = z.object({
  projectId: IdSchema,
  templateId: IdSchema,
  dueDate: DueDateSchema,
});
/**
 * V1 only removed templates no supplier task instance referenced. Instances live in other
 * streams, so that check is the command handler's (against a projection), with the same
 * check-time-only consistency as above; the decider only knows the template exists.
 */
export const RemoveProjectTaskTemplatePayloadSchema = z.object({
  projectId: IdSchema,
  templateId: IdSchema,
});

export const CreateProjectCommandSchema = commandSchema(
  'CreateProject',
  CreateProjectPayloadSchema,
);
export const RenameProjectCommandSchema = commandSchema(
  'RenameProject',
  RenameProjectPayloadSchema,
);
export const CreateProjectTaskTemplateCommandSchema = commandSchema(
  'CreateProjectTaskTemplate',
  CreateProjectTaskTemplatePayloadSchema,
);
export const ChangeProjectTaskTemplateDueDateCommandSchema = commandSchema(
  'ChangeProjectTaskTemplateDueDate',
  ChangeProjectTaskTemplateDueDatePayloadSchema,
);
export const RemoveProjectTaskTemplateCommandSchema = commandSchema(
  'RemoveProjectTaskTemplate',
  RemoveProjectTaskTemplatePayloadSchema,
);

export const ProjectCommandSchema = z.discriminatedUnion('type', [
  CreateProjectCommandSchema,
  RenameProjectCommandSchema,
  CreateProjectTaskTemplateCommandSchema,
  ChangeProjectTaskTemplateDueDateCommandSchema,
  RemoveProjectTaskTemplateCommandSchema,
]);

export type CreateProject = z.infer<typeof CreateProjectCommandSchema>;
export type RenameProject = z.infer<typeof RenameProjectCommandSchema>;
export type CreateProjectTaskTemplate = z.infer<typeof CreateProjectTaskTemplateCommandSchema>;
export type ChangeProjectTaskTemplateDueDate = z.infer<
  typeof ChangeProjectTaskTemplateDueDateCommandSchema
>;
export type RemoveProjectTaskTemplate = z.infer<typeof RemoveProjectTaskTemplateCommandSchema>;
export type ProjectCommand = z.infer<typeof ProjectCommandSchema>;

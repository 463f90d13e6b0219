import { z } from 'zod';
import {
  commandSchema,
  IdSchema,
  NonEmptyTextSchema,
  SortOrderSchema,
  TitleSchema,
} from '../shared/schemas';
import { ManufacturingCategorySchema } from './task-type.events';

export const CreateTaskTypePayloadSchema = z.object({
  taskTypeId: IdSchema,
  name: NonEmptyTextSchema,
  category: ManufacturingCategorySchema,
});
export const RenameTaskTypePayloadSchema = z.object({
  taskTypeId: IdSchema,
  name: NonEmptyTextSchema,
});
export const ChangeTaskTypeCategoryPayloadSchema = z.object({
  taskTypeId: IdSchema,
  category: ManufacturingCategorySchema,
});
export const CreateTaskTypeSectionPayloadSchema = z.object({
  taskTypeId: IdSchema,
  sectionId: IdSchema,
  code: NonEmptyTextSchema,
  name: NonEmptyTextSchema,
  sortOrder: SortOrderSchema,
});
export const RenameTaskTypeSectionPayloadSchema = z.object({
  taskTypeId: IdSchema,
  sectionId: IdSchema,
  name: NonEmptyTextSchema,
});
export const DeleteTaskTypeSectionPayloadSchema = z.object({
  taskTypeId: IdSchema,
  sectionId: IdSchema,
});
export const CreateTaskPayloadSchema = z.object({
  taskTypeId: IdSchema,
  sectionId: IdSchema,
  taskId: IdSchema,
  title: TitleSchema,
  sortOrder: SortOrderSchema,
  /** A top-level task of this task type, in the same section; absent or null for top level. */
  parentTaskId: IdSchema.nullish(),
});
export const RenameTaskPayloadSchema = z.object({
  taskTypeId: IdSchema,
  taskId: IdSchema,
  title: TitleSchema,
});
/** Only top-level tasks are moved; their sub-tasks move with them. */
export const MoveTaskToSectionPayloadSchema = z.object({
  taskTypeId: IdSchema,
  taskId: IdSchema,
  toSectionId: IdSchema,
});

export const CreateTaskTypeCommandSchema = commandSchema(
  'CreateTaskType',
  CreateTaskTypePayloadSchema,
);
export const RenameTaskTypeCommandSchema = commandSchema(
  'RenameTaskType',
  RenameTaskTypePayloadSchema,
);
export const ChangeTaskTypeCategoryCommandSchema = commandSchema(
  'ChangeTaskTypeCategory',
  ChangeTaskTypeCategoryPayloadSchema,
);
export const CreateTaskTypeSectionCommandSchema = commandSchema(
  'CreateTaskTypeSection',
  CreateTaskTypeSectionPayloadSchema,
);
export const RenameTaskTypeSectionCommandSchema = commandSchema(
  'RenameTaskTypeSection',
  RenameTaskTypeSectionPayloadSchema,
);
export const DeleteTaskTypeSectionCommandSchema = commandSchema(
  'DeleteTaskTypeSection',
  DeleteTaskTypeSectionPayloadSchema,
);
export const CreateTaskCommandSchema = commandSchema('CreateTask', CreateTaskPayloadSchema);
export const RenameTaskCommandSchema = commandSchema('RenameTask', RenameTaskPayloadSchema);
export const MoveTaskToSectionCommandSchema = commandSchema(
  'MoveTaskToSection',
  MoveTaskToSectionPayloadSchema,
);

export const TaskTypeCommandSchema = z.discriminatedUnion('type', [
  CreateTaskTypeCommandSchema,
  RenameTaskTypeCommandSchema,
  ChangeTaskTypeCategoryCommandSchema,
  CreateTaskTypeSectionCommandSchema,
  RenameTaskTypeSectionCommandSchema,
  DeleteTaskTypeSectionCommandSchema,
  CreateTaskCommandSchema,
  RenameTaskCommandSchema,
  MoveTaskToSectionCommandSchema,
]);

export type CreateTaskType = z.infer<typeof CreateTaskTypeCommandSchema>;
export type RenameTaskType = z.infer<typeof RenameTaskTypeCommandSchema>;
export type ChangeTaskTypeCategory = z.infer<typeof ChangeTaskTypeCategoryCommandSchema>;
export type CreateTaskTypeSection = z.infer<typeof CreateTaskTypeSectionCommandSchema>;
export type RenameTaskTypeSection = z.infer<typeof RenameTaskTypeSectionCommandSchema>;
export type DeleteTaskTypeSection = z.infer<typeof DeleteTaskTypeSectionCommandSchema>;
export type CreateTask = z.infer<typeof CreateTaskCommandSchema>;
export type RenameTask = z.infer<typeof RenameTaskCommandSchema>;
export type MoveTaskToSection = z.infer<typeof MoveTaskToSectionCommandSchema>;
export type TaskTypeCommand = z.infer<typeof TaskTypeCommandSchema>;

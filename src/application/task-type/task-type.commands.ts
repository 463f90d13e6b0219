import type {
  ChangeTaskTypeCategory,
  CreateTask,
  CreateTaskType,
  CreateTaskTypeSection,
  DeleteTaskTypeSection,
  MoveTaskToSection,
  RenameTask,
  RenameTaskType,
  RenameTaskTypeSection,
  TaskTypeCommand,
} from '../../domain/task-type/task-type.commands';
import { DeciderCommand, type CommandClasses } from '../decider.command';

/** The bus routes by class: one class per domain command, keyed by the command's type. */
export const TaskTypeCommands = {
  CreateTaskType: class CreateTaskTypeCommand extends DeciderCommand<CreateTaskType> {},
  RenameTaskType: class RenameTaskTypeCommand extends DeciderCommand<RenameTaskType> {},
  ChangeTaskTypeCategory: class ChangeTaskTypeCategoryCommand extends DeciderCommand<ChangeTaskTypeCategory> {},
  CreateTaskTypeSection: class CreateTaskTypeSectionCommand extends DeciderCommand<CreateTaskTypeSection> {},
  RenameTaskTypeSection: class RenameTaskTypeSectionCommand extends DeciderCommand<RenameTaskTypeSection> {},
  DeleteTaskTypeSection: class DeleteTaskTypeSectionCommand extends DeciderCommand<DeleteTaskTypeSection> {},
  CreateTask: class CreateTaskCommand extends DeciderCommand<CreateTask> {},
  RenameTask: class RenameTaskCommand extends DeciderCommand<RenameTask> {},
  MoveTaskToSection: class MoveTaskToSectionCommand extends DeciderCommand<MoveTaskToSection> {},
} satisfies CommandClasses<TaskTypeCommand>;

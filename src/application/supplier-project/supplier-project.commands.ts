import type {
  AddSupplierTaskNote,
  ClearSupplierTaskDueDateOverride,
  CompleteSupplierTask,
  CreateSupplierProjectInstance,
  CreateSupplierTaskInstance,
  OverrideSupplierTaskDueDate,
  ReopenSupplierTask,
  StartSupplierTask,
  SupplierProjectCommand,
} from '../../domain/supplier-project/supplier-project.commands';
import { DeciderCommand, type CommandClasses } from '../decider.command';

/** The task is not named by the caller: the handler takes it from the template. */
export type CreateSupplierTaskInstanceRequest = Omit<CreateSupplierTaskInstance, 'data'> & {
  data: Omit<CreateSupplierTaskInstance['data'], 'taskId'>;
};

/** The bus routes by class: one class per domain command, keyed by the command's type. */
export const SupplierProjectCommands = {
  CreateSupplierProjectInstance: class CreateSupplierProjectInstanceCommand extends DeciderCommand<CreateSupplierProjectInstance> {},
  CreateSupplierTaskInstance: class CreateSupplierTaskInstanceCommand extends DeciderCommand<CreateSupplierTaskInstanceRequest> {},
  StartSupplierTask: class StartSupplierTaskCommand extends DeciderCommand<StartSupplierTask> {},
  CompleteSupplierTask: class CompleteSupplierTaskCommand extends DeciderCommand<CompleteSupplierTask> {},
  ReopenSupplierTask: class ReopenSupplierTaskCommand extends DeciderCommand<ReopenSupplierTask> {},
  AddSupplierTaskNote: class AddSupplierTaskNoteCommand extends DeciderCommand<AddSupplierTaskNote> {},
  OverrideSupplierTaskDueDate: class OverrideSupplierTaskDueDateCommand extends DeciderCommand<OverrideSupplierTaskDueDate> {},
  ClearSupplierTaskDueDateOverride: class ClearSupplierTaskDueDateOverrideCommand extends DeciderCommand<ClearSupplierTaskDueDateOverride> {},
} satisfies CommandClasses<SupplierProjectCommand>;

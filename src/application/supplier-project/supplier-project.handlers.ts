import { CreateSupplierProjectInstanceHandler } from './create-supplier-project-instance.handler';
import { CreateSupplierTaskInstanceHandler } from './create-supplier-task-instance.handler';
import { StartSupplierTaskHandler } from './start-supplier-task.handler';
import { CompleteSupplierTaskHandler } from './complete-supplier-task.handler';
import { ReopenSupplierTaskHandler } from './reopen-supplier-task.handler';
import { AddSupplierTaskNoteHandler } from './add-supplier-task-note.handler';
import { OverrideSupplierTaskDueDateHandler } from './override-supplier-task-due-date.handler';
import { ClearSupplierTaskDueDateOverrideHandler } from './clear-supplier-task-due-date-override.handler';

export const SupplierProjectHandlers = [
  CreateSupplierProjectInstanceHandler,
  CreateSupplierTaskInstanceHandler,
  StartSupplierTaskHandler,
  CompleteSupplierTaskHandler,
  ReopenSupplierTaskHandler,
  AddSupplierTaskNoteHandler,
  OverrideSupplierTaskDueDateHandler,
  ClearSupplierTaskDueDateOverrideHandler,
];

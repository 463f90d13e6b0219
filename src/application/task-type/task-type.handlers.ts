import { CreateTaskTypeHandler } from './create-task-type.handler';
import { RenameTaskTypeHandler } from './rename-task-type.handler';
import { ChangeTaskTypeCategoryHandler } from './change-task-type-category.handler';
import { CreateTaskTypeSectionHandler } from './create-task-type-section.handler';
import { RenameTaskTypeSectionHandler } from './rename-task-type-section.handler';
import { DeleteTaskTypeSectionHandler } from './delete-task-type-section.handler';
import { CreateTaskHandler } from './create-task.handler';
import { RenameTaskHandler } from './rename-task.handler';
import { MoveTaskToSectionHandler } from './move-task-to-section.handler';

export const TaskTypeHandlers = [
  CreateTaskTypeHandler,
  RenameTaskTypeHandler,
  ChangeTaskTypeCategoryHandler,
  CreateTaskTypeSectionHandler,
  RenameTaskTypeSectionHandler,
  DeleteTaskTypeSectionHandler,
  CreateTaskHandler,
  RenameTaskHandler,
  MoveTaskToSectionHandler,
];

import 'reflect-metadata';
import { ProjectCommands } from './project/project.commands';
import { ProjectHandlers } from './project/project.handlers';
import { SupplierProjectCommands } from './supplier-project/supplier-project.commands';
import { SupplierProjectHandlers } from './supplier-project/supplier-project.handlers';
import { SupplierCommands } from './supplier/supplier.commands';
import { SupplierHandlers } from './supplier/supplier.handlers';
import { TaskTypeCommands } from './task-type/task-type.commands';
import { TaskTypeHandlers } from './task-type/task-type.handlers';

/** What @nestjs/cqrs's @CommandHandler records: the command class the bus routes to a handler. */
const handledBy = (handler: object): unknown => Reflect.getMetadata('__commandHandler__', handler);

describe.each([
  ['supplier', SupplierCommands, SupplierHandlers, ['RegisterSupplier', 'RenameSupplier']],
  [
    'project',
    ProjectCommands,
    ProjectHandlers,
    [
      'CreateProject',
      'RenameProject',
      'CreateProjectTaskTemplate',
      'ChangeProjectTaskTemplateDueDate',
      'RemoveProjectTaskTemplate',
    ],
  ],
  [
    'task type',
    TaskTypeCommands,
    TaskTypeHandlers,
    [
      'CreateTaskType',
      'RenameTaskType',
      'ChangeTaskTypeCategory',
      'CreateTaskTypeSection',
      'RenameTaskTypeSection',
      'DeleteTaskTypeSection',
      'CreateTask',
      'RenameTask',
      'MoveTaskToSection',
    ],
  ],
  [
    'supplier project',
    SupplierProjectCommands,
    SupplierProjectHandlers,
    [
      'CreateSupplierProjectInstance',
      'CreateSupplierTaskInstance',
      'StartSupplierTask',
      'CompleteSupplierTask',
      'ReopenSupplierTask',
      'AddSupplierTaskNote',
      'OverrideSupplierTaskDueDate',
      'ClearSupplierTaskDueDateOverride',
    ],
  ],
] as const)('the %s commands', (_name, commands, handlers, types) => {
  it('have one handler each, and each handler is registered for its own class', () => {
    const classes = types.map((type) => (commands as Record<string, unknown>)[type]);
    expect(classes.every((c) => typeof c === 'function')).toBe(true);
    expect(handlers.map(handledBy)).toEqual(classes);
    expect(handlers.map((h) => h.name)).toEqual(types.map((type) => `${type}CommandHandler`));
  });
});

import type { Type } from '@nestjs/common';
import { ProjectCommands } from '../application/project/project.commands';
import { SupplierProjectCommands } from '../application/supplier-project/supplier-project.commands';
import { SupplierCommands } from '../application/supplier/supplier.commands';
import { TaskTypeCommands } from '../application/task-type/task-type.commands';
import { commandController } from './commands/command-controller';
import { ProjectRoutes } from './project/project.routes';
import { SupplierProjectRoutes } from './supplier-project/supplier-project.routes';
import { SupplierRoutes } from './supplier/supplier.routes';
import { TaskTypeRoutes } from './task-type/task-type.routes';

/** The controllers that send commands: mounted by the module, and read by the OpenAPI document. */
export const COMMAND_CONTROLLERS: Type[] = [
  commandController('Supplier', SupplierRoutes, SupplierCommands),
  commandController('Project', ProjectRoutes, ProjectCommands),
  commandController('TaskType', TaskTypeRoutes, TaskTypeCommands),
  commandController('SupplierProject', SupplierProjectRoutes, SupplierProjectCommands),
];

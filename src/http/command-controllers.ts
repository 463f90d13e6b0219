import type { Type } from '@nestjs/common';
import { ProjectController } from './project/project.controller';
import { SupplierProjectController } from './supplier-project/supplier-project.controller';
import { SupplierController } from './supplier/supplier.controller';
import { TaskTypeController } from './task-type/task-type.controller';

/** The controllers that send commands: mounted by the module, and read by the OpenAPI document. */
export const COMMAND_CONTROLLERS: Type[] = [
  SupplierController,
  ProjectController,
  TaskTypeController,
  SupplierProjectController,
];

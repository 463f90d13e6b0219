import { CommandHandler } from '@nestjs/cqrs';
import type { CreateSupplierProjectInstance } from '../../domain/supplier-project/supplier-project.commands';
import { supplierProjectDecider } from '../../domain/supplier-project/supplier-project.decider';
import type { CommandExecutor } from '../command-executor';
import { requireProject, requireSupplier } from '../cross-stream-checks';
import { DeciderHandler } from '../decider.handler';
import { CreateSupplierProjectInstanceCommand } from './create-supplier-project-instance.command';

/** Read-your-writes at check time (cross-stream-checks.ts): both exist when the instance is made. */
const supplierAndProjectExist = async (
  { data }: CreateSupplierProjectInstance,
  executor: CommandExecutor,
): Promise<void> => {
  await requireSupplier(executor, data.supplierId);
  await requireProject(executor, data.projectId);
};

@CommandHandler(CreateSupplierProjectInstanceCommand)
export class CreateSupplierProjectInstanceHandler extends DeciderHandler(
  supplierProjectDecider,
  supplierAndProjectExist,
) {}

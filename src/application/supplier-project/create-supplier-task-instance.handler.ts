import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streamId } from '../../domain/shared/decider';
import { DomainErrorCodes, notFound } from '../../domain/shared/domain-error';
import type { CreateSupplierTaskInstance } from '../../domain/supplier-project/supplier-project.commands';
import { supplierProjectDecider } from '../../domain/supplier-project/supplier-project.decider';
import { CommandExecutor, type CommandResult } from '../command-executor';
import { requireTemplate } from '../cross-stream-checks';
import { CreateSupplierTaskInstanceCommand } from './create-supplier-task-instance.command';

/**
 * The template is looked up in the project of this supplier project instance, and the task comes
 * from it, so an instance can never name another task than its template's. Read-your-writes at
 * check time (cross-stream-checks.ts): a template removed after the check keeps this instance.
 */
@CommandHandler(CreateSupplierTaskInstanceCommand)
export class CreateSupplierTaskInstanceHandler implements ICommandHandler<
  CreateSupplierTaskInstanceCommand,
  CommandResult
> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({
    command,
    expectedRevision,
  }: CreateSupplierTaskInstanceCommand): Promise<CommandResult> {
    const { supplierProjectInstanceId, templateId } = command.data;
    return this.executor.execute(
      supplierProjectDecider,
      streamId(supplierProjectDecider.streamCategory, supplierProjectInstanceId),
      expectedRevision,
      async (instance): Promise<CreateSupplierTaskInstance> => {
        if (instance === null) {
          throw notFound(
            DomainErrorCodes.SUPPLIER_PROJECT_NOT_FOUND,
            'supplier project instance not found',
            { supplierProjectInstanceId },
          );
        }
        const template = await requireTemplate(this.executor, instance.projectId, templateId);
        return { ...command, data: { ...command.data, taskId: template.taskId } };
      },
    );
  }
}

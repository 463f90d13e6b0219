import { DomainErrorCodes, notFound } from '../../domain/shared/domain-error';
import { supplierProjectDecider } from '../../domain/supplier-project/supplier-project.decider';
import { requireProject, requireSupplier, requireTemplate } from '../cross-stream-checks';
import { deciderHandlers } from '../decider.handler';
import { SupplierProjectCommands } from './supplier-project.commands';

export const SupplierProjectHandlers = deciderHandlers(
  supplierProjectDecider,
  SupplierProjectCommands,
  {
    // Read-your-writes at check time (cross-stream-checks.ts): both exist when the instance is made.
    CreateSupplierProjectInstance: {
      check: async ({ data }, executor) => {
        await requireSupplier(executor, data.supplierId);
        await requireProject(executor, data.projectId);
      },
    },
    /*
     * The template is looked up in the project of this supplier project instance, and the task
     * comes from it, so an instance can never name another task than its template's.
     * Read-your-writes at check time: a template removed after the check keeps this instance.
     */
    CreateSupplierTaskInstance: {
      complete: async (command, instance, executor) => {
        const { supplierProjectInstanceId, templateId } = command.data;
        if (instance === null) {
          throw notFound(
            DomainErrorCodes.SUPPLIER_PROJECT_NOT_FOUND,
            'supplier project instance not found',
            { supplierProjectInstanceId },
          );
        }
        const template = await requireTemplate(executor, instance.projectId, templateId);
        return { ...command, data: { ...command.data, taskId: template.taskId } };
      },
    },
  },
);

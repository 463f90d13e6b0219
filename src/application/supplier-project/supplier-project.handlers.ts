import { streamId } from '../../domain/shared/decider';
import { SUPPLIER_PROJECT_STREAM_CATEGORY } from '../../domain/supplier-project/supplier-project.events';
import { DomainErrorCodes, notFound } from '../../domain/shared/domain-error';
import { supplierProjectDecider } from '../../domain/supplier-project/supplier-project.decider';
import { assignmentClaim, referenceTemplate } from '../cross-stream-claims';
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
      // One assignment per supplier and project: 409 naming the instance that holds it.
      claims: ({ data }) => [assignmentClaim(data)],
    },
    /*
     * The template is looked up in the project of this supplier project instance, and the task
     * comes from it, so an instance can never name another task than its template's.
     * A removal racing this command either closed the template's references first (404 here)
     * or finds this reference (422 there).
     */
    CreateSupplierTaskInstance: {
      // Recorded in the template's references stream, which a removal closes first.
      claim: async ({ data, metadata }, executor) => {
        const { supplierProjectInstanceId, supplierTaskInstanceId, templateId } = data;
        const { state: instance } = await executor.load(
          supplierProjectDecider,
          streamId(SUPPLIER_PROJECT_STREAM_CATEGORY, supplierProjectInstanceId),
        );
        // Refused by `complete` below.
        if (instance === null) return [];
        await requireTemplate(executor, instance.projectId, templateId);
        const ref = { templateId, supplierProjectInstanceId, supplierTaskInstanceId };
        return [await referenceTemplate(executor, ref, metadata)];
      },
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

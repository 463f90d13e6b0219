import type { SupplierTaskInstanceCreated } from '../src/domain/supplier-project/supplier-project.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1SupplierTaskInstanceCreatedData } from './v1.events';

/**
 * V1 SupplierTaskInstanceCreated → V2 SupplierTaskInstanceCreated. The instance references its
 * template (the project milestone task of the same id), so it keeps following the template's
 * due date unless overridden.
 */
export const supplierTaskInstanceCreatedUpcaster = defineV1Step({
  fromType: 'SupplierTaskInstanceCreated',
  schema: V1SupplierTaskInstanceCreatedData,
  toV2: ({ projectMilestoneTaskId, ...rest }): V2Of<SupplierTaskInstanceCreated> => ({
    type: 'SupplierTaskInstanceCreated',
    // V1 recorded only the project milestone task; readers take the task from the template.
    data: { ...rest, templateId: projectMilestoneTaskId, taskId: null },
  }),
});

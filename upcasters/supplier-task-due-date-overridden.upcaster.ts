import type { SupplierTaskDueDateOverridden } from '../src/domain/supplier-project/supplier-project.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1SupplierTaskDueDateOverriddenData } from './v1.events';

/**
 * V1 SupplierTaskDueDateOverridden → V2 SupplierTaskDueDateOverridden: same payload, now at
 * schemaVersion 2.
 */
export const supplierTaskDueDateOverriddenUpcaster = defineV1Step({
  fromType: 'SupplierTaskDueDateOverridden',
  schema: V1SupplierTaskDueDateOverriddenData,
  toV2: (data): V2Of<SupplierTaskDueDateOverridden> => ({
    type: 'SupplierTaskDueDateOverridden',
    data,
  }),
});

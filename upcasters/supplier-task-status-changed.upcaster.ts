import type { SupplierTaskStatusChanged } from '../src/domain/supplier-project/supplier-project.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1SupplierTaskStatusChangedData } from './v1.events';

/**
 * V1 SupplierTaskStatusChanged → V2 SupplierTaskStatusChanged. Kept as it happened, jumps such as
 * NOT_STARTED → COMPLETED included: history is fact.
 */
export const supplierTaskStatusChangedUpcaster = defineV1Step({
  fromType: 'SupplierTaskStatusChanged',
  schema: V1SupplierTaskStatusChangedData,
  toV2: (data): V2Of<SupplierTaskStatusChanged> => ({ type: 'SupplierTaskStatusChanged', data }),
});

import type { SupplierProjectInstanceCreated } from '../src/domain/supplier-project/supplier-project.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1SupplierProjectInstanceCreatedData } from './v1.events';

/**
 * V1 SupplierProjectInstanceCreated → V2 SupplierProjectInstanceCreated: same payload, now at
 * schemaVersion 2.
 */
export const supplierProjectInstanceCreatedUpcaster = defineV1Step({
  fromType: 'SupplierProjectInstanceCreated',
  schema: V1SupplierProjectInstanceCreatedData,
  toV2: (data): V2Of<SupplierProjectInstanceCreated> => ({
    type: 'SupplierProjectInstanceCreated',
    data,
  }),
});

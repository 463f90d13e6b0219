import type { SupplierRegistered } from '../src/domain/supplier/supplier.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1SupplierRegisteredData } from './v1.events';

/** V1 SupplierRegistered → V2 SupplierRegistered: same payload, now at schemaVersion 2. */
export const supplierRegisteredUpcaster = defineV1Step({
  fromType: 'SupplierRegistered',
  schema: V1SupplierRegisteredData,
  toV2: (data): V2Of<SupplierRegistered> => ({ type: 'SupplierRegistered', data }),
});

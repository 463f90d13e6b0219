import type { SupplierRenamed } from '../src/domain/supplier/supplier.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1SupplierRenamedData } from './v1.events';

/** V1 SupplierRenamed → V2 SupplierRenamed: same payload, now at schemaVersion 2. */
export const supplierRenamedUpcaster = defineV1Step({
  fromType: 'SupplierRenamed',
  schema: V1SupplierRenamedData,
  toV2: (data): V2Of<SupplierRenamed> => ({ type: 'SupplierRenamed', data }),
});

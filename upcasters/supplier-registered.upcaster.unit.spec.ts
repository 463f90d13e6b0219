import { SupplierRegisteredSchema } from '../src/domain/supplier/supplier.events';
import { findUpcasterStep, upcast } from './index';
import { supplierRegisteredUpcaster } from './supplier-registered.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('SupplierRegistered v1 → SupplierRegistered v2', () => {
  const v1 = legacy('SupplierRegistered', { ...v1Samples.SupplierRegistered, addedLater: 'kept' });
  const expected = {
    type: 'SupplierRegistered',
    schemaVersion: 2,
    data: {
      supplierId: ids.supplier,
      code: 'SUP-0001',
      name: 'Acme Castings GmbH',
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (SupplierRegistered, 1)', () => {
    expect(findUpcasterStep('SupplierRegistered', 1)).toBe(supplierRegisteredUpcaster);
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(SupplierRegisteredSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('SupplierRegistered', {}))).toThrow(/SupplierRegistered v1/);
  });
});

import { SupplierRenamedSchema } from '../src/domain/supplier/supplier.events';
import { findUpcasterStep, upcast } from './index';
import { supplierRenamedUpcaster } from './supplier-renamed.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('SupplierRenamed v1 → SupplierRenamed v2', () => {
  const v1 = legacy('SupplierRenamed', { ...v1Samples.SupplierRenamed, addedLater: 'kept' });
  const expected = {
    type: 'SupplierRenamed',
    schemaVersion: 2,
    data: { supplierId: ids.supplier, name: 'Acme Castings AG', addedLater: 'kept' },
    metadata: legacyMetadata,
  };

  it('is registered for (SupplierRenamed, 1)', () => {
    expect(findUpcasterStep('SupplierRenamed', 1)).toBe(supplierRenamedUpcaster);
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(SupplierRenamedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('SupplierRenamed', {}))).toThrow(/SupplierRenamed v1/);
  });
});

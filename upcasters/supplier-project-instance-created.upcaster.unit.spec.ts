import { SupplierProjectInstanceCreatedSchema } from '../src/domain/supplier-project/supplier-project.events';
import { findUpcasterStep, upcast } from './index';
import { supplierProjectInstanceCreatedUpcaster } from './supplier-project-instance-created.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('SupplierProjectInstanceCreated v1 → SupplierProjectInstanceCreated v2', () => {
  const v1 = legacy('SupplierProjectInstanceCreated', {
    ...v1Samples.SupplierProjectInstanceCreated,
    addedLater: 'kept',
  });
  const expected = {
    type: 'SupplierProjectInstanceCreated',
    schemaVersion: 2,
    data: {
      supplierProjectInstanceId: ids.supplierProject,
      supplierId: ids.supplier,
      projectId: ids.project,
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (SupplierProjectInstanceCreated, 1)', () => {
    expect(findUpcasterStep('SupplierProjectInstanceCreated', 1)).toBe(
      supplierProjectInstanceCreatedUpcaster,
    );
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(SupplierProjectInstanceCreatedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('SupplierProjectInstanceCreated', {}))).toThrow(
      /SupplierProjectInstanceCreated v1/,
    );
  });
});

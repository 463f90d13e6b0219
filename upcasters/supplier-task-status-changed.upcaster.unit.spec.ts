import { SupplierTaskStatusChangedSchema } from '../src/domain/supplier-project/supplier-project.events';
import { findUpcasterStep, upcast } from './index';
import { supplierTaskStatusChangedUpcaster } from './supplier-task-status-changed.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('SupplierTaskStatusChanged v1 → SupplierTaskStatusChanged v2', () => {
  const v1 = legacy('SupplierTaskStatusChanged', {
    ...v1Samples.SupplierTaskStatusChanged,
    addedLater: 'kept',
  });
  const expected = {
    type: 'SupplierTaskStatusChanged',
    schemaVersion: 2,
    data: {
      supplierProjectInstanceId: ids.supplierProject,
      supplierTaskInstanceId: ids.taskInstance,
      from: 'NOT_STARTED',
      to: 'COMPLETED',
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (SupplierTaskStatusChanged, 1)', () => {
    expect(findUpcasterStep('SupplierTaskStatusChanged', 1)).toBe(
      supplierTaskStatusChangedUpcaster,
    );
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(SupplierTaskStatusChangedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('SupplierTaskStatusChanged', {}))).toThrow(
      /SupplierTaskStatusChanged v1/,
    );
  });
});

import { SupplierTaskInstanceCreatedSchema } from '../src/domain/supplier-project/supplier-project.events';
import { findUpcasterStep, upcast } from './index';
import { supplierTaskInstanceCreatedUpcaster } from './supplier-task-instance-created.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('SupplierTaskInstanceCreated v1 → SupplierTaskInstanceCreated v2', () => {
  const v1 = legacy('SupplierTaskInstanceCreated', {
    ...v1Samples.SupplierTaskInstanceCreated,
    addedLater: 'kept',
  });
  const expected = {
    type: 'SupplierTaskInstanceCreated',
    schemaVersion: 2,
    data: {
      supplierProjectInstanceId: ids.supplierProject,
      supplierTaskInstanceId: ids.taskInstance,
      templateId: ids.pmt,
      taskId: null,
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (SupplierTaskInstanceCreated, 1)', () => {
    expect(findUpcasterStep('SupplierTaskInstanceCreated', 1)).toBe(
      supplierTaskInstanceCreatedUpcaster,
    );
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(SupplierTaskInstanceCreatedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('SupplierTaskInstanceCreated', {}))).toThrow(
      /SupplierTaskInstanceCreated v1/,
    );
  });
});

import { SupplierTaskDueDateOverriddenSchema } from '../src/domain/supplier-project/supplier-project.events';
import { findUpcasterStep, upcast } from './index';
import { supplierTaskDueDateOverriddenUpcaster } from './supplier-task-due-date-overridden.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('SupplierTaskDueDateOverridden v1 → SupplierTaskDueDateOverridden v2', () => {
  const v1 = legacy('SupplierTaskDueDateOverridden', {
    ...v1Samples.SupplierTaskDueDateOverridden,
    addedLater: 'kept',
  });
  const expected = {
    type: 'SupplierTaskDueDateOverridden',
    schemaVersion: 2,
    data: {
      supplierProjectInstanceId: ids.supplierProject,
      supplierTaskInstanceId: ids.taskInstance,
      dueDate: '2025-06-20',
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (SupplierTaskDueDateOverridden, 1)', () => {
    expect(findUpcasterStep('SupplierTaskDueDateOverridden', 1)).toBe(
      supplierTaskDueDateOverriddenUpcaster,
    );
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(SupplierTaskDueDateOverriddenSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('SupplierTaskDueDateOverridden', {}))).toThrow(
      /SupplierTaskDueDateOverridden v1/,
    );
  });
});

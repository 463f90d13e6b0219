import { SupplierTaskNoteAddedSchema } from '../src/domain/supplier-project/supplier-project.events';
import { findUpcasterStep, upcast } from './index';
import { supplierTaskNoteAddedUpcaster } from './supplier-task-note-added.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('SupplierTaskNoteAdded v1 → SupplierTaskNoteAdded v2', () => {
  const v1 = legacy('SupplierTaskNoteAdded', {
    ...v1Samples.SupplierTaskNoteAdded,
    addedLater: 'kept',
  });
  const expected = {
    type: 'SupplierTaskNoteAdded',
    schemaVersion: 2,
    data: {
      supplierProjectInstanceId: ids.supplierProject,
      supplierTaskInstanceId: ids.taskInstance,
      noteId: ids.note,
      text: 'Dimensional report uploaded.',
      author: 'j.keller@acme.example',
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (SupplierTaskNoteAdded, 1)', () => {
    expect(findUpcasterStep('SupplierTaskNoteAdded', 1)).toBe(supplierTaskNoteAddedUpcaster);
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(SupplierTaskNoteAddedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('SupplierTaskNoteAdded', {}))).toThrow(/SupplierTaskNoteAdded v1/);
  });
});

import { TaskTypeSectionDeletedSchema } from '../src/domain/task-type/task-type.events';
import { findUpcasterStep, upcast } from './index';
import { milestoneDeletedUpcaster } from './milestone-deleted.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('MilestoneDeleted v1 → TaskTypeSectionDeleted v2', () => {
  const v1 = legacy('MilestoneDeleted', { ...v1Samples.MilestoneDeleted, addedLater: 'kept' });
  const expected = {
    type: 'TaskTypeSectionDeleted',
    schemaVersion: 2,
    data: { taskTypeId: ids.taskType, sectionId: ids.milestone, addedLater: 'kept' },
    metadata: legacyMetadata,
  };

  it('is registered for (MilestoneDeleted, 1)', () => {
    expect(findUpcasterStep('MilestoneDeleted', 1)).toBe(milestoneDeletedUpcaster);
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(TaskTypeSectionDeletedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('MilestoneDeleted', {}))).toThrow(/MilestoneDeleted v1/);
  });
});

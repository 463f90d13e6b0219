import { TaskTypeSectionRenamedSchema } from '../src/domain/task-type/task-type.events';
import { findUpcasterStep, upcast } from './index';
import { milestoneRenamedUpcaster } from './milestone-renamed.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('MilestoneRenamed v1 → TaskTypeSectionRenamed v2', () => {
  const v1 = legacy('MilestoneRenamed', { ...v1Samples.MilestoneRenamed, addedLater: 'kept' });
  const expected = {
    type: 'TaskTypeSectionRenamed',
    schemaVersion: 2,
    data: {
      taskTypeId: ids.taskType,
      sectionId: ids.milestone,
      name: 'PA2 - Samples',
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (MilestoneRenamed, 1)', () => {
    expect(findUpcasterStep('MilestoneRenamed', 1)).toBe(milestoneRenamedUpcaster);
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(TaskTypeSectionRenamedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('MilestoneRenamed', {}))).toThrow(/MilestoneRenamed v1/);
  });
});

import { TaskTypeSectionCreatedSchema } from '../src/domain/task-type/task-type.events';
import { findUpcasterStep, upcast } from './index';
import { milestoneCreatedUpcaster } from './milestone-created.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('MilestoneCreated v1 → TaskTypeSectionCreated v2', () => {
  const v1 = legacy('MilestoneCreated', { ...v1Samples.MilestoneCreated, addedLater: 'kept' });
  const expected = {
    type: 'TaskTypeSectionCreated',
    schemaVersion: 2,
    data: {
      taskTypeId: ids.taskType,
      sectionId: ids.milestone,
      code: 'PA2',
      name: 'PA2 - Initial Samples',
      sortOrder: 1,
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (MilestoneCreated, 1)', () => {
    expect(findUpcasterStep('MilestoneCreated', 1)).toBe(milestoneCreatedUpcaster);
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(TaskTypeSectionCreatedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('MilestoneCreated', {}))).toThrow(/MilestoneCreated v1/);
  });
});

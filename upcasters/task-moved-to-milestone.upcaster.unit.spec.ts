import { TaskMovedToSectionSchema } from '../src/domain/task-type/task-type.events';
import { findUpcasterStep, upcast } from './index';
import { taskMovedToMilestoneUpcaster } from './task-moved-to-milestone.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('TaskMovedToMilestone v1 → TaskMovedToSection v2', () => {
  const v1 = legacy('TaskMovedToMilestone', {
    ...v1Samples.TaskMovedToMilestone,
    addedLater: 'kept',
  });
  const expected = {
    type: 'TaskMovedToSection',
    schemaVersion: 2,
    data: {
      taskTypeId: ids.taskType,
      taskId: ids.task,
      fromSectionId: ids.milestone,
      toSectionId: ids.otherMilestone,
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (TaskMovedToMilestone, 1)', () => {
    expect(findUpcasterStep('TaskMovedToMilestone', 1)).toBe(taskMovedToMilestoneUpcaster);
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(TaskMovedToSectionSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('TaskMovedToMilestone', {}))).toThrow(/TaskMovedToMilestone v1/);
  });
});

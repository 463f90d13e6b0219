import { TaskCreatedSchema } from '../src/domain/task-type/task-type.events';
import { findUpcasterStep, upcast } from './index';
import { taskCreatedUpcaster } from './task-created.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('TaskCreated v1 → TaskCreated v2', () => {
  const v1 = legacy('TaskCreated', { ...v1Samples.TaskCreated, addedLater: 'kept' });
  const expected = {
    type: 'TaskCreated',
    schemaVersion: 2,
    data: {
      taskTypeId: ids.taskType,
      sectionId: ids.milestone,
      taskId: ids.task,
      title: 'Submit dimensional report',
      sortOrder: 1,
      parentTaskId: null,
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (TaskCreated, 1)', () => {
    expect(findUpcasterStep('TaskCreated', 1)).toBe(taskCreatedUpcaster);
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(TaskCreatedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('TaskCreated', {}))).toThrow(/TaskCreated v1/);
  });
});

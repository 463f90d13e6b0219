import { TaskRenamedSchema } from '../src/domain/task-type/task-type.events';
import { findUpcasterStep, upcast } from './index';
import { taskRenamedUpcaster } from './task-renamed.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('TaskRenamed v1 → TaskRenamed v2', () => {
  const v1 = legacy('TaskRenamed', { ...v1Samples.TaskRenamed, addedLater: 'kept' });
  const expected = {
    type: 'TaskRenamed',
    schemaVersion: 2,
    data: {
      taskTypeId: ids.taskType,
      taskId: ids.task,
      title: 'Submit CMM report',
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (TaskRenamed, 1)', () => {
    expect(findUpcasterStep('TaskRenamed', 1)).toBe(taskRenamedUpcaster);
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(TaskRenamedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('TaskRenamed', {}))).toThrow(/TaskRenamed v1/);
  });
});

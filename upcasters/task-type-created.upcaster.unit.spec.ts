import { TaskTypeCreatedSchema } from '../src/domain/task-type/task-type.events';
import { findUpcasterStep, upcast } from './index';
import { taskTypeCreatedUpcaster } from './task-type-created.upcaster';
import { ids, legacy, legacyMetadata, upcastOne, v1Samples } from './v1.fixtures';

describe('TaskTypeCreated v1 → TaskTypeCreated v2', () => {
  const v1 = legacy('TaskTypeCreated', { ...v1Samples.TaskTypeCreated, addedLater: 'kept' });
  const expected = {
    type: 'TaskTypeCreated',
    schemaVersion: 2,
    data: {
      taskTypeId: ids.taskType,
      name: 'Part Approval',
      category: 'PART_APPROVAL',
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (TaskTypeCreated, 1)', () => {
    expect(findUpcasterStep('TaskTypeCreated', 1)).toBe(taskTypeCreatedUpcaster);
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(TaskTypeCreatedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('TaskTypeCreated', {}))).toThrow(/TaskTypeCreated v1/);
  });

  it.each([
    ['Part Approval', 'PART_APPROVAL'],
    ['PART APPROVAL (automotive)', 'PART_APPROVAL'],
    ['Supplier part approval process', 'PART_APPROVAL'],
    ['NMR', 'NMR'],
    ['Nonconforming material (nmr) review', 'NMR'],
    ['Part approval after NMR', 'PART_APPROVAL'],
    ['Tooling release', 'UNCLASSIFIED'],
  ])('derives the category of %j as %s', (name, category) => {
    const event = legacy('TaskTypeCreated', { taskTypeId: ids.taskType, name });
    expect(upcastOne(event).data).toEqual({ taskTypeId: ids.taskType, name, category });
  });
});

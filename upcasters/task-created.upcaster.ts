import type { TaskCreated } from '../src/domain/task-type/task-type.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1TaskCreatedData } from './v1.events';

/**
 * V1 TaskCreated → V2 TaskCreated. A V1 task sits in the section that has its milestone's id.
 */
export const taskCreatedUpcaster = defineV1Step({
  fromType: 'TaskCreated',
  schema: V1TaskCreatedData,
  toV2: ({ milestoneId, ...rest }): V2Of<TaskCreated> => ({
    type: 'TaskCreated',
    // V1 had no sub-tasks: every legacy task is top level.
    data: { ...rest, sectionId: milestoneId, parentTaskId: null },
  }),
});

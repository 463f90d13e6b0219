import type { TaskTypeSectionDeleted } from '../src/domain/task-type/task-type.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1MilestoneDeletedData } from './v1.events';

/** V1 MilestoneDeleted → V2 TaskTypeSectionDeleted. */
export const milestoneDeletedUpcaster = defineV1Step({
  fromType: 'MilestoneDeleted',
  schema: V1MilestoneDeletedData,
  toV2: ({ milestoneId, ...rest }): V2Of<TaskTypeSectionDeleted> => ({
    type: 'TaskTypeSectionDeleted',
    data: { ...rest, sectionId: milestoneId },
  }),
});

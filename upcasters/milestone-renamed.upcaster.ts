import type { TaskTypeSectionRenamed } from '../src/domain/task-type/task-type.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1MilestoneRenamedData } from './v1.events';

/** V1 MilestoneRenamed → V2 TaskTypeSectionRenamed. */
export const milestoneRenamedUpcaster = defineV1Step({
  fromType: 'MilestoneRenamed',
  schema: V1MilestoneRenamedData,
  toV2: ({ milestoneId, ...rest }): V2Of<TaskTypeSectionRenamed> => ({
    type: 'TaskTypeSectionRenamed',
    data: { ...rest, sectionId: milestoneId },
  }),
});

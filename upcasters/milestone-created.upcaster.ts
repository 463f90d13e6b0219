import type { TaskTypeSectionCreated } from '../src/domain/task-type/task-type.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1MilestoneCreatedData } from './v1.events';

/**
 * V1 MilestoneCreated → V2 TaskTypeSectionCreated. A milestone is a task type section with the same
 * id; its code (PA2, PA3, ...) is kept.
 */
export const milestoneCreatedUpcaster = defineV1Step({
  fromType: 'MilestoneCreated',
  schema: V1MilestoneCreatedData,
  toV2: ({ milestoneId, ...rest }): V2Of<TaskTypeSectionCreated> => ({
    type: 'TaskTypeSectionCreated',
    data: { ...rest, sectionId: milestoneId },
  }),
});

import type { TaskMovedToSection } from '../src/domain/task-type/task-type.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1TaskMovedToMilestoneData } from './v1.events';

/**
 * V1 TaskMovedToMilestone → V2 TaskMovedToSection. V1 tasks had no sub-tasks, so a V1 move is
 * exactly one V2 move.
 */
export const taskMovedToMilestoneUpcaster = defineV1Step({
  fromType: 'TaskMovedToMilestone',
  schema: V1TaskMovedToMilestoneData,
  toV2: ({ fromMilestoneId, toMilestoneId, ...rest }): V2Of<TaskMovedToSection> => ({
    type: 'TaskMovedToSection',
    data: { ...rest, fromSectionId: fromMilestoneId, toSectionId: toMilestoneId },
  }),
});

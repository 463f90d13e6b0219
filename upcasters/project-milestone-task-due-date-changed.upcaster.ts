import type { ProjectTaskTemplateDueDateChanged } from '../src/domain/project/project.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1ProjectMilestoneTaskDueDateChangedData } from './v1.events';

/** V1 ProjectMilestoneTaskDueDateChanged → V2 ProjectTaskTemplateDueDateChanged. */
export const projectMilestoneTaskDueDateChangedUpcaster = defineV1Step({
  fromType: 'ProjectMilestoneTaskDueDateChanged',
  schema: V1ProjectMilestoneTaskDueDateChangedData,
  toV2: ({ projectMilestoneTaskId, ...rest }): V2Of<ProjectTaskTemplateDueDateChanged> => ({
    type: 'ProjectTaskTemplateDueDateChanged',
    data: { ...rest, templateId: projectMilestoneTaskId },
  }),
});

import type { ProjectTaskTemplateRemoved } from '../src/domain/project/project.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1ProjectMilestoneTaskRemovedData } from './v1.events';

/** V1 ProjectMilestoneTaskRemoved → V2 ProjectTaskTemplateRemoved. */
export const projectMilestoneTaskRemovedUpcaster = defineV1Step({
  fromType: 'ProjectMilestoneTaskRemoved',
  schema: V1ProjectMilestoneTaskRemovedData,
  toV2: ({ projectMilestoneTaskId, ...rest }): V2Of<ProjectTaskTemplateRemoved> => ({
    type: 'ProjectTaskTemplateRemoved',
    data: { ...rest, templateId: projectMilestoneTaskId },
  }),
});

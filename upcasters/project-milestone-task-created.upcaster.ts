import type { ProjectTaskTemplateCreated } from '../src/domain/project/project.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1ProjectMilestoneTaskCreatedData } from './v1.events';

/**
 * V1 ProjectMilestoneTaskCreated → V2 ProjectTaskTemplateCreated, same id. The template keeps
 * the milestone it was made from as `legacyMilestoneId`, for audit only.
 */
export const projectMilestoneTaskCreatedUpcaster = defineV1Step({
  fromType: 'ProjectMilestoneTaskCreated',
  schema: V1ProjectMilestoneTaskCreatedData,
  toV2: ({ projectMilestoneTaskId, milestoneId, ...rest }): V2Of<ProjectTaskTemplateCreated> => ({
    type: 'ProjectTaskTemplateCreated',
    data: {
      ...rest,
      templateId: projectMilestoneTaskId,
      // V1 never recorded the task type; task ids are unique across task types.
      taskTypeId: null,
      legacyMilestoneId: milestoneId,
    },
  }),
});

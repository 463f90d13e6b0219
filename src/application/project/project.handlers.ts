import { projectDecider } from '../../domain/project/project.decider';
import { closeTemplateReferences, projectCodeClaim } from '../cross-stream-claims';
import { requireTask, requireTemplate } from '../cross-stream-checks';
import { deciderHandlers } from '../decider.handler';
import { ProjectCommands } from './project.commands';

export const ProjectHandlers = deciderHandlers(projectDecider, ProjectCommands, {
  // Unique codes (cross-stream-claims.ts): 409 PROJECT.CODE_TAKEN naming the holder.
  CreateProject: {
    claims: ({ data }) => [projectCodeClaim(data)],
  },
  // Read-your-writes at check time (cross-stream-checks.ts): the task exists in its task type.
  CreateProjectTaskTemplate: {
    check: async ({ data }, executor) => {
      await requireTask(executor, data.taskTypeId, data.taskId);
    },
  },
  /*
   * A template that an instance references is not removed (422 TEMPLATE.REFERENCED naming the
   * instances): the removal first closes the template's references stream, which a concurrent
   * instance creation appends to as well, so only one of them wins (cross-stream-claims.ts).
   */
  RemoveProjectTaskTemplate: {
    claim: async ({ data, metadata }, executor) => {
      await requireTemplate(executor, data.projectId, data.templateId);
      return [await closeTemplateReferences(executor, data.templateId, metadata)];
    },
  },
});

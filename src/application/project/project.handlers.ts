import { projectDecider } from '../../domain/project/project.decider';
import { requireTask } from '../cross-stream-checks';
import { deciderHandlers } from '../decider.handler';
import { ProjectCommands } from './project.commands';

/*
 * NOT CHECKED on RemoveProjectTaskTemplate: that no supplier task instance still references the
 * template. Instances live in every supplier project stream of the project, and answering that
 * needs a read model (instances by template) the handler does not have; scanning the log per
 * command would not scale. Until a projection serves it, a removal leaves such instances
 * pointing at a removed template.
 */
export const ProjectHandlers = deciderHandlers(projectDecider, ProjectCommands, {
  // Read-your-writes at check time (cross-stream-checks.ts): the task exists in its task type.
  CreateProjectTaskTemplate: {
    check: async ({ data }, executor) => {
      await requireTask(executor, data.taskTypeId, data.taskId);
    },
  },
});

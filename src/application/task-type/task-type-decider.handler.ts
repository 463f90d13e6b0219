import { taskTypeDecider } from '../../domain/task-type/task-type.decider';
import { DeciderHandler } from '../decider.handler';

/** Base of the handlers of commands that need the task type stream alone. */
export const TaskTypeDeciderHandler = DeciderHandler(taskTypeDecider);

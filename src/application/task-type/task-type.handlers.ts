import { taskTypeDecider } from '../../domain/task-type/task-type.decider';
import { deciderHandlers } from '../decider.handler';
import { TaskTypeCommands } from './task-type.commands';

export const TaskTypeHandlers = deciderHandlers(taskTypeDecider, TaskTypeCommands);

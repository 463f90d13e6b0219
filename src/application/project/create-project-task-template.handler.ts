import { CommandHandler } from '@nestjs/cqrs';
import type { CreateProjectTaskTemplate } from '../../domain/project/project.commands';
import { projectDecider } from '../../domain/project/project.decider';
import type { CommandExecutor } from '../command-executor';
import { requireTask } from '../cross-stream-checks';
import { DeciderHandler } from '../decider.handler';
import { CreateProjectTaskTemplateCommand } from './create-project-task-template.command';

/** Read-your-writes at check time (cross-stream-checks.ts): the task exists in its task type. */
const taskExists = async (
  { data }: CreateProjectTaskTemplate,
  executor: CommandExecutor,
): Promise<void> => {
  await requireTask(executor, data.taskTypeId, data.taskId);
};

@CommandHandler(CreateProjectTaskTemplateCommand)
export class CreateProjectTaskTemplateHandler extends DeciderHandler(projectDecider, taskExists) {}

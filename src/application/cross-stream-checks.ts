import { projectDecider, findTemplate, type Project } from '../domain/project/project.decider';
import type { ProjectTaskTemplate } from '../domain/project/project.decider';
import {
  streamId,
  type Decider,
  type DomainCommand,
  type DomainEvent,
} from '../domain/shared/decider';
import { DomainErrorCodes, notFound, type DomainError } from '../domain/shared/domain-error';
import { supplierDecider, type Supplier } from '../domain/supplier/supplier.decider';
import { taskTypeDecider, type Task } from '../domain/task-type/task-type.decider';
import type { CommandExecutor } from './command-executor';

/*
 * Checks that span aggregates. Each reads the other stream through the same loader as the
 * command's own stream (upcast, folded), just before the decision. Consistency is
 * read-your-writes at check time: whatever was appended before the read is seen, but nothing
 * locks the other stream, so a change committed after the check does not undo the command
 * (there is no cross-stream transaction). Streams are never deleted, and the entities checked
 * here are never removed once created, except templates (see project.handlers.ts).
 */

const requireExisting = async <C extends DomainCommand, E extends DomainEvent, S>(
  executor: CommandExecutor,
  decider: Decider<C, E, S | null>,
  id: string,
  missing: () => DomainError,
): Promise<S> => {
  const { state } = await executor.load(decider, streamId(decider.streamCategory, id));
  if (state === null) throw missing();
  return state;
};

export const requireSupplier = (executor: CommandExecutor, supplierId: string): Promise<Supplier> =>
  requireExisting(executor, supplierDecider, supplierId, () =>
    notFound(DomainErrorCodes.SUPPLIER_NOT_FOUND, 'supplier not found', { supplierId }),
  );

export const requireProject = (executor: CommandExecutor, projectId: string): Promise<Project> =>
  requireExisting(executor, projectDecider, projectId, () =>
    notFound(DomainErrorCodes.PROJECT_NOT_FOUND, 'project not found', { projectId }),
  );

/** The template, live (not removed), in the project. */
export const requireTemplate = async (
  executor: CommandExecutor,
  projectId: string,
  templateId: string,
): Promise<ProjectTaskTemplate> => {
  const template = findTemplate(await requireProject(executor, projectId), templateId);
  if (template === undefined) {
    throw notFound(DomainErrorCodes.TEMPLATE_NOT_FOUND, 'project task template not found', {
      projectId,
      templateId,
    });
  }
  return template;
};

/** The task, in the task type. */
export const requireTask = async (
  executor: CommandExecutor,
  taskTypeId: string,
  taskId: string,
): Promise<Task> => {
  const taskType = await requireExisting(executor, taskTypeDecider, taskTypeId, () =>
    notFound(DomainErrorCodes.TASK_TYPE_NOT_FOUND, 'task type not found', { taskTypeId }),
  );
  const task = taskType.tasks[taskId];
  if (task === undefined) {
    throw notFound(DomainErrorCodes.TASK_NOT_FOUND, 'task not found in the task type', {
      taskTypeId,
      taskId,
    });
  }
  return task;
};

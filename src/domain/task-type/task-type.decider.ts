import {
  assertNever,
  ignoreUnknownEvent,
  streamId,
  type Decider,
  type Unstamped,
} from '../shared/decider';
import { conflict, DomainErrorCodes, invariant, notFound } from '../shared/domain-error';
import type { TaskTypeCommand } from './task-type.commands';
import {
  TaskTypeEventSchema,
  TASK_TYPE_EVENT_TYPES,
  TASK_TYPE_STREAM_CATEGORY,
  type TaskTypeEvent,
} from './task-type.events';

export interface TaskTypeSection {
  sectionId: string;
  code: string;
  name: string;
  sortOrder: number;
  /** Deleted sections are kept so that their id is never handed out again. */
  deleted: boolean;
}

export interface Task {
  taskId: string;
  sectionId: string;
  title: string;
  sortOrder: number;
  parentTaskId: string | null;
}

export interface TaskType {
  taskTypeId: string;
  name: string;
  category: string;
  sections: Readonly<Record<string, TaskTypeSection>>;
  tasks: Readonly<Record<string, Task>>;
}
export type TaskTypeState = TaskType | null;

export const initialState: TaskTypeState = null;

type Decided = Array<Unstamped<TaskTypeEvent>>;

const requireTaskType = (state: TaskTypeState, taskTypeId: string): TaskType => {
  if (state === null) {
    throw notFound(DomainErrorCodes.TASK_TYPE_NOT_FOUND, 'task type not found', { taskTypeId });
  }
  return state;
};

const requireSection = (taskType: TaskType, sectionId: string): TaskTypeSection => {
  const section = taskType.sections[sectionId];
  if (section === undefined || section.deleted) {
    throw notFound(DomainErrorCodes.SECTION_NOT_FOUND, 'section not found', {
      taskTypeId: taskType.taskTypeId,
      sectionId,
    });
  }
  return section;
};

const requireTask = (taskType: TaskType, taskId: string): Task => {
  const task = taskType.tasks[taskId];
  if (task === undefined) {
    throw notFound(DomainErrorCodes.TASK_NOT_FOUND, 'task not found', {
      taskTypeId: taskType.taskTypeId,
      taskId,
    });
  }
  return task;
};

/** Codes are compared case-insensitively: `pa2` next to `PA2` would read as a duplicate. */
const sameCode = (a: string, b: string): boolean => a.toUpperCase() === b.toUpperCase();

export const tasksInSection = (taskType: TaskType, sectionId: string): Task[] =>
  Object.values(taskType.tasks).filter((task) => task.sectionId === sectionId);

export const subTasksOf = (taskType: TaskType, parentTaskId: string): Task[] =>
  Object.values(taskType.tasks).filter((task) => task.parentTaskId === parentTaskId);

const createSection = (
  state: TaskTypeState,
  data: { taskTypeId: string; sectionId: string; code: string; name: string; sortOrder: number },
): Decided => {
  const taskType = requireTaskType(state, data.taskTypeId);
  if (taskType.sections[data.sectionId] !== undefined) {
    throw conflict(DomainErrorCodes.SECTION_ALREADY_EXISTS, 'section already exists', {
      taskTypeId: data.taskTypeId,
      sectionId: data.sectionId,
    });
  }
  const holder = Object.values(taskType.sections).find(
    (section) => !section.deleted && sameCode(section.code, data.code),
  );
  if (holder !== undefined) {
    throw conflict(DomainErrorCodes.SECTION_CODE_TAKEN, 'section code already used', {
      taskTypeId: data.taskTypeId,
      code: data.code,
      sectionId: holder.sectionId,
    });
  }
  const { taskTypeId, sectionId, code, name, sortOrder } = data;
  return [
    {
      type: 'TaskTypeSectionCreated',
      schemaVersion: 2,
      data: { taskTypeId, sectionId, code, name, sortOrder },
    },
  ];
};

const createTask = (
  state: TaskTypeState,
  data: {
    taskTypeId: string;
    sectionId: string;
    taskId: string;
    title: string;
    sortOrder: number;
    parentTaskId?: string | null | undefined;
  },
): Decided => {
  const taskType = requireTaskType(state, data.taskTypeId);
  const { taskTypeId, sectionId, taskId, title, sortOrder } = data;
  const parentTaskId = data.parentTaskId ?? null;
  if (taskType.tasks[taskId] !== undefined) {
    throw conflict(DomainErrorCodes.TASK_ALREADY_EXISTS, 'task already exists', {
      taskTypeId,
      taskId,
    });
  }
  requireSection(taskType, sectionId);
  if (parentTaskId !== null) {
    const parent = taskType.tasks[parentTaskId];
    if (parent === undefined) {
      throw notFound(DomainErrorCodes.TASK_PARENT_NOT_FOUND, 'parent task not found', {
        taskTypeId,
        parentTaskId,
      });
    }
    if (parent.parentTaskId !== null) {
      throw invariant(
        DomainErrorCodes.TASK_PARENT_IS_SUBTASK,
        'sub-tasks are one level deep: a sub-task cannot have sub-tasks',
        { taskTypeId, parentTaskId },
      );
    }
    if (parent.sectionId !== sectionId) {
      throw invariant(
        DomainErrorCodes.TASK_SECTION_MISMATCH,
        "a sub-task lives in its parent's section",
        { taskTypeId, parentTaskId, sectionId, parentSectionId: parent.sectionId },
      );
    }
  }
  return [
    {
      type: 'TaskCreated',
      schemaVersion: 2,
      data: { taskTypeId, sectionId, taskId, title, sortOrder, parentTaskId },
    },
  ];
};

/**
 * Moving a top-level task moves its sub-tasks with it, one TaskMovedToSection each, in the
 * same append: a sub-task always sits in its parent's section, and every task's section is
 * written down explicitly for projections and audit. A sub-task cannot be moved on its own.
 */
const moveTask = (
  state: TaskTypeState,
  data: { taskTypeId: string; taskId: string; toSectionId: string },
): Decided => {
  const taskType = requireTaskType(state, data.taskTypeId);
  const task = requireTask(taskType, data.taskId);
  requireSection(taskType, data.toSectionId);
  if (task.parentTaskId !== null) {
    throw invariant(
      DomainErrorCodes.TASK_SUBTASK_MOVES_WITH_PARENT,
      'a sub-task moves only with its parent',
      { taskTypeId: data.taskTypeId, taskId: data.taskId, parentTaskId: task.parentTaskId },
    );
  }
  if (task.sectionId === data.toSectionId) return [];
  return [task, ...subTasksOf(taskType, task.taskId)].map((moved) => ({
    type: 'TaskMovedToSection',
    schemaVersion: 2,
    data: {
      taskTypeId: data.taskTypeId,
      taskId: moved.taskId,
      fromSectionId: moved.sectionId,
      toSectionId: data.toSectionId,
    },
  }));
};

export const decide = (command: TaskTypeCommand, state: TaskTypeState): Decided => {
  switch (command.type) {
    case 'CreateTaskType': {
      const { taskTypeId, name, category } = command.data;
      if (state !== null) {
        throw conflict(DomainErrorCodes.TASK_TYPE_ALREADY_EXISTS, 'task type already exists', {
          taskTypeId,
        });
      }
      return [{ type: 'TaskTypeCreated', schemaVersion: 2, data: { taskTypeId, name, category } }];
    }
    case 'RenameTaskType': {
      const { taskTypeId, name } = command.data;
      if (requireTaskType(state, taskTypeId).name === name) return [];
      return [{ type: 'TaskTypeRenamed', schemaVersion: 2, data: { taskTypeId, name } }];
    }
    case 'ChangeTaskTypeCategory': {
      const { taskTypeId, category } = command.data;
      if (requireTaskType(state, taskTypeId).category === category) return [];
      return [
        { type: 'TaskTypeCategoryChanged', schemaVersion: 2, data: { taskTypeId, category } },
      ];
    }
    case 'CreateTaskTypeSection':
      return createSection(state, command.data);
    case 'RenameTaskTypeSection': {
      const { taskTypeId, sectionId, name } = command.data;
      const section = requireSection(requireTaskType(state, taskTypeId), sectionId);
      if (section.name === name) return [];
      return [
        { type: 'TaskTypeSectionRenamed', schemaVersion: 2, data: { taskTypeId, sectionId, name } },
      ];
    }
    case 'DeleteTaskTypeSection': {
      const { taskTypeId, sectionId } = command.data;
      const taskType = requireTaskType(state, taskTypeId);
      requireSection(taskType, sectionId);
      const remaining = tasksInSection(taskType, sectionId);
      if (remaining.length > 0) {
        throw invariant(DomainErrorCodes.SECTION_NOT_EMPTY, 'section still has tasks', {
          taskTypeId,
          sectionId,
          taskIds: remaining.map((task) => task.taskId),
        });
      }
      return [
        { type: 'TaskTypeSectionDeleted', schemaVersion: 2, data: { taskTypeId, sectionId } },
      ];
    }
    case 'CreateTask':
      return createTask(state, command.data);
    case 'RenameTask': {
      const { taskTypeId, taskId, title } = command.data;
      const task = requireTask(requireTaskType(state, taskTypeId), taskId);
      if (task.title === title) return [];
      return [{ type: 'TaskRenamed', schemaVersion: 2, data: { taskTypeId, taskId, title } }];
    }
    case 'MoveTaskToSection':
      return moveTask(state, command.data);
    default:
      return assertNever(command);
  }
};

const withSection = (
  state: TaskTypeState,
  sectionId: string,
  change: (section: TaskTypeSection) => TaskTypeSection,
): TaskTypeState => {
  const section = state?.sections[sectionId];
  if (state === null || section === undefined) return state;
  return { ...state, sections: { ...state.sections, [sectionId]: change(section) } };
};

const withTask = (
  state: TaskTypeState,
  taskId: string,
  change: (task: Task) => Task,
): TaskTypeState => {
  const task = state?.tasks[taskId];
  if (state === null || task === undefined) return state;
  return { ...state, tasks: { ...state.tasks, [taskId]: change(task) } };
};

/** Folds every history V1 and V2 allow; nothing here re-checks the rules `decide` enforces. */
export const evolve = (state: TaskTypeState, event: Unstamped<TaskTypeEvent>): TaskTypeState => {
  switch (event.type) {
    case 'TaskTypeCreated': {
      const { taskTypeId, name, category } = event.data;
      return { taskTypeId, name, category, sections: {}, tasks: {} };
    }
    case 'TaskTypeRenamed':
      return state === null ? state : { ...state, name: event.data.name };
    case 'TaskTypeCategoryChanged':
      return state === null ? state : { ...state, category: event.data.category };
    case 'TaskTypeSectionCreated': {
      if (state === null) return state;
      const { sectionId, code, name, sortOrder } = event.data;
      const section = { sectionId, code, name, sortOrder, deleted: false };
      return { ...state, sections: { ...state.sections, [sectionId]: section } };
    }
    case 'TaskTypeSectionRenamed':
      return withSection(state, event.data.sectionId, (s) => ({ ...s, name: event.data.name }));
    case 'TaskTypeSectionDeleted':
      return withSection(state, event.data.sectionId, (s) => ({ ...s, deleted: true }));
    case 'TaskCreated': {
      if (state === null) return state;
      const { taskId, sectionId, title, sortOrder, parentTaskId } = event.data;
      const task = { taskId, sectionId, title, sortOrder, parentTaskId };
      return { ...state, tasks: { ...state.tasks, [taskId]: task } };
    }
    case 'TaskRenamed':
      return withTask(state, event.data.taskId, (t) => ({ ...t, title: event.data.title }));
    case 'TaskMovedToSection':
      return withTask(state, event.data.taskId, (t) => ({
        ...t,
        sectionId: event.data.toSectionId,
      }));
    default:
      return ignoreUnknownEvent(event, state);
  }
};

export const taskTypeDecider: Decider<TaskTypeCommand, TaskTypeEvent, TaskTypeState> = {
  streamCategory: TASK_TYPE_STREAM_CATEGORY,
  eventSchema: TaskTypeEventSchema,
  eventTypes: TASK_TYPE_EVENT_TYPES,
  initialState,
  streamIdFor: (command) => streamId(TASK_TYPE_STREAM_CATEGORY, command.data.taskTypeId),
  decide,
  evolve,
};

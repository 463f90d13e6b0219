import type { Unstamped } from '../shared/decider';
import { DeciderSpecification } from '../shared/decider-specification';
import { CreateTaskTypePayloadSchema, type TaskTypeCommand } from './task-type.commands';
import { taskTypeDecider } from './task-type.decider';
import type { TaskTypeEvent } from './task-type.events';

const taskTypeId = 'aaaaaaaa-0000-4000-8000-000000000001';
const pa2 = 'aaaaaaaa-0000-4000-8000-0000000000a2';
const pa3 = 'aaaaaaaa-0000-4000-8000-0000000000a3';
const parent = 'aaaaaaaa-0000-4000-8000-00000000000b';
const child = 'aaaaaaaa-0000-4000-8000-00000000000c';
const other = 'aaaaaaaa-0000-4000-8000-00000000000d';
const metadata = { occurredAt: '2026-01-05T08:00:00.000Z', actor: 'quality@example.com' };
const spec = DeciderSpecification.for(taskTypeDecider);

const cmd = <T extends TaskTypeCommand['type']>(
  type: T,
  data: Omit<Extract<TaskTypeCommand, { type: T }>['data'], 'taskTypeId'>,
): TaskTypeCommand =>
  ({ type, data: { taskTypeId, ...data }, metadata }) as unknown as TaskTypeCommand;
const ev = <T extends TaskTypeEvent['type']>(
  type: T,
  data: Omit<Extract<TaskTypeEvent, { type: T }>['data'], 'taskTypeId'>,
): Unstamped<TaskTypeEvent> =>
  ({
    type,
    schemaVersion: 2,
    data: { taskTypeId, ...data },
  }) as unknown as Unstamped<TaskTypeEvent>;

const created = ev('TaskTypeCreated', { name: 'Part Approval', category: 'PART_APPROVAL' });
const sectionCreated = (sectionId: string, code: string) =>
  ev('TaskTypeSectionCreated', { sectionId, code, name: `${code} name`, sortOrder: 1 });
const taskCreated = (taskId: string, sectionId: string, parentTaskId: string | null = null) =>
  ev('TaskCreated', {
    sectionId,
    taskId,
    title: `task ${taskId.slice(-1)}`,
    sortOrder: 1,
    parentTaskId,
  });
const createTask = (taskId: string, sectionId: string, parentTaskId?: string) =>
  cmd('CreateTask', { sectionId, taskId, title: 'A task', sortOrder: 1, parentTaskId });
const withSections = [created, sectionCreated(pa2, 'PA2'), sectionCreated(pa3, 'PA3')];
const withSubTask = [...withSections, taskCreated(parent, pa2), taskCreated(child, pa2, parent)];

const rejects = (history: Array<Unstamped<TaskTypeEvent>>, command: TaskTypeCommand) =>
  expect(spec.given(history).when(command).error);

describe('task type decider', () => {
  describe('When no task type exists', () => {
    it('creates one with its manufacturing category', () => {
      const create = cmd('CreateTaskType', { name: 'Part Approval', category: 'PART_APPROVAL' });
      expect(spec.given([]).when(create).events).toEqual([created]);
      expect(taskTypeDecider.streamIdFor(create)).toBe(`tasktype-${taskTypeId}`);
    });
    it.each([
      ['rename', cmd('RenameTaskType', { name: 'x' })],
      ['change category', cmd('ChangeTaskTypeCategory', { category: 'NMR' })],
      [
        'create a section',
        cmd('CreateTaskTypeSection', { sectionId: pa2, code: 'PA2', name: 'x', sortOrder: 1 }),
      ],
      ['create a task', createTask(parent, pa2)],
    ])('rejects to %s as TASK_TYPE.NOT_FOUND', (_name, command) => {
      rejects([], command).toMatchObject({ code: 'TASK_TYPE.NOT_FOUND', kind: 'not_found' });
    });
    it('accepts any uppercase category code and refuses lowercase ones at the edge', () => {
      const payload = { taskTypeId, name: 'Tooling', category: 'TOOLING_RELEASE' };
      expect(CreateTaskTypePayloadSchema.safeParse(payload).success).toBe(true);
      expect(
        CreateTaskTypePayloadSchema.safeParse({ ...payload, category: 'tooling' }).success,
      ).toBe(false);
    });
  });

  describe('When created', () => {
    it('rejects a second creation', () => {
      rejects([created], cmd('CreateTaskType', { name: 'x', category: 'NMR' })).toMatchObject({
        code: 'TASK_TYPE.ALREADY_EXISTS',
        kind: 'conflict',
      });
    });
    it('renames and changes category; the same value decides nothing', () => {
      expect(spec.given([created]).when(cmd('RenameTaskType', { name: 'PA' })).events).toEqual([
        ev('TaskTypeRenamed', { name: 'PA' }),
      ]);
      expect(
        spec.given([created]).when(cmd('ChangeTaskTypeCategory', { category: 'NMR' })).events,
      ).toEqual([ev('TaskTypeCategoryChanged', { category: 'NMR' })]);
      expect(
        spec.given([created]).when(cmd('RenameTaskType', { name: 'Part Approval' })).events,
      ).toEqual([]);
      expect(
        spec.given([created]).when(cmd('ChangeTaskTypeCategory', { category: 'PART_APPROVAL' }))
          .events,
      ).toEqual([]);
    });
  });

  describe('Sections: unique code within a task type', () => {
    const createSection = (sectionId: string, code: string) =>
      cmd('CreateTaskTypeSection', { sectionId, code, name: `${code} name`, sortOrder: 1 });
    it('creates a section', () => {
      expect(spec.given([created]).when(createSection(pa2, 'PA2')).events).toEqual([
        sectionCreated(pa2, 'PA2'),
      ]);
    });
    it('rejects a code another live section holds, in any case, as SECTION.CODE_TAKEN', () => {
      rejects([created, sectionCreated(pa2, 'PA2')], createSection(pa3, 'pa2')).toMatchObject({
        code: 'SECTION.CODE_TAKEN',
        kind: 'conflict',
      });
    });
    it('frees the code of a deleted section', () => {
      const history = [
        created,
        sectionCreated(pa2, 'PA2'),
        ev('TaskTypeSectionDeleted', { sectionId: pa2 }),
      ];
      expect(spec.given(history).when(createSection(pa3, 'PA2')).events).toEqual([
        sectionCreated(pa3, 'PA2'),
      ]);
    });
    it('rejects an existing or deleted section id as SECTION.ALREADY_EXISTS', () => {
      rejects([created, sectionCreated(pa2, 'PA2')], createSection(pa2, 'PA9')).toMatchObject({
        code: 'SECTION.ALREADY_EXISTS',
        kind: 'conflict',
      });
      const deleted = [
        created,
        sectionCreated(pa2, 'PA2'),
        ev('TaskTypeSectionDeleted', { sectionId: pa2 }),
      ];
      rejects(deleted, createSection(pa2, 'PA9')).toMatchObject({ code: 'SECTION.ALREADY_EXISTS' });
    });
    it('renames a section, and rejects renaming an unknown one', () => {
      expect(
        spec
          .given(withSections)
          .when(cmd('RenameTaskTypeSection', { sectionId: pa2, name: 'Samples' })).events,
      ).toEqual([ev('TaskTypeSectionRenamed', { sectionId: pa2, name: 'Samples' })]);
      rejects(
        withSections,
        cmd('RenameTaskTypeSection', { sectionId: other, name: 'x' }),
      ).toMatchObject({
        code: 'SECTION.NOT_FOUND',
        kind: 'not_found',
      });
    });
  });

  describe('Sections: deleted only when empty', () => {
    const del = (sectionId: string) => cmd('DeleteTaskTypeSection', { sectionId });
    it('deletes an empty section', () => {
      expect(spec.given(withSections).when(del(pa3)).events).toEqual([
        ev('TaskTypeSectionDeleted', { sectionId: pa3 }),
      ]);
    });
    it('rejects deleting a section with tasks as SECTION.NOT_EMPTY', () => {
      rejects([...withSections, taskCreated(parent, pa2)], del(pa2)).toMatchObject({
        code: 'SECTION.NOT_EMPTY',
        kind: 'invariant',
        details: { taskIds: [parent] },
      });
    });
    it('deletes a section once its tasks moved out', () => {
      const history = [
        ...withSections,
        taskCreated(parent, pa2),
        ev('TaskMovedToSection', { taskId: parent, fromSectionId: pa2, toSectionId: pa3 }),
      ];
      expect(spec.given(history).when(del(pa2)).events).toHaveLength(1);
    });
    it('rejects deleting an unknown or already deleted section as SECTION.NOT_FOUND', () => {
      rejects(withSections, del(other)).toMatchObject({ code: 'SECTION.NOT_FOUND' });
      rejects(
        [...withSections, ev('TaskTypeSectionDeleted', { sectionId: pa3 })],
        del(pa3),
      ).toMatchObject({
        code: 'SECTION.NOT_FOUND',
      });
    });
  });

  describe('Tasks: one level of sub-tasks', () => {
    it('creates a top-level task', () => {
      expect(spec.given(withSections).when(createTask(parent, pa2)).events).toEqual([
        ev('TaskCreated', {
          sectionId: pa2,
          taskId: parent,
          title: 'A task',
          sortOrder: 1,
          parentTaskId: null,
        }),
      ]);
    });
    it('creates a sub-task of a top-level task in its section', () => {
      const history = [...withSections, taskCreated(parent, pa2)];
      expect(spec.given(history).when(createTask(child, pa2, parent)).events).toEqual([
        ev('TaskCreated', {
          sectionId: pa2,
          taskId: child,
          title: 'A task',
          sortOrder: 1,
          parentTaskId: parent,
        }),
      ]);
    });
    it('rejects a sub-task of a sub-task as TASK.PARENT_IS_SUBTASK', () => {
      rejects(withSubTask, createTask(other, pa2, child)).toMatchObject({
        code: 'TASK.PARENT_IS_SUBTASK',
        kind: 'invariant',
      });
    });
    it('rejects an unknown parent as TASK.PARENT_NOT_FOUND', () => {
      rejects(withSections, createTask(child, pa2, parent)).toMatchObject({
        code: 'TASK.PARENT_NOT_FOUND',
        kind: 'not_found',
      });
    });
    it("rejects a sub-task outside its parent's section as TASK.SECTION_MISMATCH", () => {
      rejects(
        [...withSections, taskCreated(parent, pa2)],
        createTask(child, pa3, parent),
      ).toMatchObject({
        code: 'TASK.SECTION_MISMATCH',
        kind: 'invariant',
      });
    });
    it('rejects an existing task id as TASK.ALREADY_EXISTS', () => {
      rejects([...withSections, taskCreated(parent, pa2)], createTask(parent, pa3)).toMatchObject({
        code: 'TASK.ALREADY_EXISTS',
        kind: 'conflict',
      });
    });
    it('rejects a task in an unknown or deleted section as SECTION.NOT_FOUND', () => {
      rejects(withSections, createTask(parent, other)).toMatchObject({ code: 'SECTION.NOT_FOUND' });
      rejects(
        [...withSections, ev('TaskTypeSectionDeleted', { sectionId: pa3 })],
        createTask(parent, pa3),
      ).toMatchObject({ code: 'SECTION.NOT_FOUND' });
    });
  });

  describe('Tasks: rename and move', () => {
    const move = (taskId: string, toSectionId: string) =>
      cmd('MoveTaskToSection', { taskId, toSectionId });
    it('renames a task, and rejects an unknown one as TASK.NOT_FOUND', () => {
      expect(
        spec.given(withSubTask).when(cmd('RenameTask', { taskId: child, title: 'Renamed' })).events,
      ).toEqual([ev('TaskRenamed', { taskId: child, title: 'Renamed' })]);
      expect(
        spec.given(withSubTask).when(cmd('RenameTask', { taskId: child, title: 'task c' })).events,
      ).toEqual([]);
      rejects(withSubTask, cmd('RenameTask', { taskId: other, title: 'x' })).toMatchObject({
        code: 'TASK.NOT_FOUND',
        kind: 'not_found',
      });
    });
    it('moves a top-level task together with its sub-tasks', () => {
      const moved = spec.given(withSubTask).when(move(parent, pa3)).events;
      expect(moved).toEqual([
        ev('TaskMovedToSection', { taskId: parent, fromSectionId: pa2, toSectionId: pa3 }),
        ev('TaskMovedToSection', { taskId: child, fromSectionId: pa2, toSectionId: pa3 }),
      ]);
      const after = spec.given([...withSubTask, ...(moved ?? [])]).state();
      expect([after?.tasks[parent]?.sectionId, after?.tasks[child]?.sectionId]).toEqual([pa3, pa3]);
    });
    it('rejects moving a sub-task on its own as TASK.SUBTASK_MOVES_WITH_PARENT', () => {
      rejects(withSubTask, move(child, pa3)).toMatchObject({
        code: 'TASK.SUBTASK_MOVES_WITH_PARENT',
        kind: 'invariant',
      });
    });
    it('decides nothing for a move to the current section', () => {
      expect(spec.given(withSubTask).when(move(parent, pa2)).events).toEqual([]);
    });
    it('rejects a move of an unknown task or to an unknown section', () => {
      rejects(withSubTask, move(other, pa3)).toMatchObject({ code: 'TASK.NOT_FOUND' });
      rejects(withSubTask, move(parent, other)).toMatchObject({ code: 'SECTION.NOT_FOUND' });
    });
  });

  it('folds legacy history: renames, moves and a deleted section', () => {
    const history = [
      ...withSections,
      taskCreated(parent, pa2),
      ev('TaskTypeSectionRenamed', { sectionId: pa2, name: 'Initial samples' }),
      ev('TaskRenamed', { taskId: parent, title: 'Dimensional report' }),
      ev('TaskMovedToSection', { taskId: parent, fromSectionId: pa2, toSectionId: pa3 }),
      ev('TaskTypeSectionDeleted', { sectionId: pa2 }),
    ];
    const state = spec.given(history).state();
    expect(state?.sections[pa2]).toMatchObject({ name: 'Initial samples', deleted: true });
    expect(state?.tasks[parent]).toEqual({
      taskId: parent,
      sectionId: pa3,
      title: 'Dimensional report',
      sortOrder: 1,
      parentTaskId: null,
    });
  });
});

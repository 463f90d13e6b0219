import fc from 'fast-check';
import type { Unstamped } from '../shared/decider';
import { DeciderSpecification } from '../shared/decider-specification';
import type { SupplierProjectCommand } from './supplier-project.commands';
import { evolveAll, supplierProjectDecider } from './supplier-project.decider';
import type { SupplierProjectEvent } from './supplier-project.events';
import type { SupplierTaskStatus } from './supplier-task-status';

const supplierProjectInstanceId = 'bbbbbbbb-0000-4000-8000-000000000001';
const supplierId = 'bbbbbbbb-0000-4000-8000-000000000002';
const projectId = 'bbbbbbbb-0000-4000-8000-000000000003';
const templateId = 'bbbbbbbb-0000-4000-8000-000000000004';
const taskId = 'bbbbbbbb-0000-4000-8000-000000000005';
const supplierTaskInstanceId = 'bbbbbbbb-0000-4000-8000-000000000006';
const unknownInstance = 'bbbbbbbb-0000-4000-8000-000000000007';
const noteId = 'bbbbbbbb-0000-4000-8000-000000000008';
const metadata = { occurredAt: '2026-01-05T08:00:00.000Z', actor: 'supplier@example.com' };
const spec = DeciderSpecification.for(supplierProjectDecider);

const cmd = <T extends SupplierProjectCommand['type']>(
  type: T,
  data: Omit<Extract<SupplierProjectCommand, { type: T }>['data'], 'supplierProjectInstanceId'>,
): SupplierProjectCommand =>
  ({
    type,
    data: { supplierProjectInstanceId, ...data },
    metadata,
  }) as unknown as SupplierProjectCommand;
const ev = <T extends SupplierProjectEvent['type']>(
  type: T,
  data: Omit<Extract<SupplierProjectEvent, { type: T }>['data'], 'supplierProjectInstanceId'>,
): Unstamped<SupplierProjectEvent> =>
  ({
    type,
    schemaVersion: 2,
    data: { supplierProjectInstanceId, ...data },
  }) as unknown as Unstamped<SupplierProjectEvent>;

const created = ev('SupplierProjectInstanceCreated', { supplierId, projectId });
const taskCreated = ev('SupplierTaskInstanceCreated', {
  supplierTaskInstanceId,
  templateId,
  taskId,
});
const statusChanged = (from: SupplierTaskStatus, to: SupplierTaskStatus) =>
  ev('SupplierTaskStatusChanged', { supplierTaskInstanceId, from, to });
const withTask = [created, taskCreated];
const inStatus: Record<SupplierTaskStatus, Array<Unstamped<SupplierProjectEvent>>> = {
  NOT_STARTED: withTask,
  IN_PROGRESS: [...withTask, statusChanged('NOT_STARTED', 'IN_PROGRESS')],
  COMPLETED: [
    ...withTask,
    statusChanged('NOT_STARTED', 'IN_PROGRESS'),
    statusChanged('IN_PROGRESS', 'COMPLETED'),
  ],
};
const start = cmd('StartSupplierTask', { supplierTaskInstanceId });
const complete = cmd('CompleteSupplierTask', { supplierTaskInstanceId });
const reopen = cmd('ReopenSupplierTask', { supplierTaskInstanceId });
const addNote = cmd('AddSupplierTaskNote', {
  supplierTaskInstanceId,
  noteId,
  text: 'Report uploaded',
  author: 'j.keller@acme.example',
});
const override = (dueDate: string) =>
  cmd('OverrideSupplierTaskDueDate', { supplierTaskInstanceId, dueDate });
const clearOverride = cmd('ClearSupplierTaskDueDateOverride', { supplierTaskInstanceId });

describe('supplier project decider', () => {
  describe('When no supplier project instance exists', () => {
    const create = cmd('CreateSupplierProjectInstance', { supplierId, projectId });
    it('creates one', () => {
      expect(spec.given([]).when(create).events).toEqual([created]);
      expect(supplierProjectDecider.streamIdFor(create)).toBe(
        `supplierproject-${supplierProjectInstanceId}`,
      );
    });
    it('rejects creating a task instance as SUPPLIER_PROJECT.NOT_FOUND', () => {
      const createTask = cmd('CreateSupplierTaskInstance', {
        supplierTaskInstanceId,
        templateId,
        taskId,
      });
      expect(spec.given([]).when(createTask).error).toMatchObject({
        code: 'SUPPLIER_PROJECT.NOT_FOUND',
        kind: 'not_found',
      });
    });
    it('rejects a second creation', () => {
      expect(spec.given([created]).when(create).error).toMatchObject({
        code: 'SUPPLIER_PROJECT.ALREADY_EXISTS',
        kind: 'conflict',
      });
    });
  });

  describe('Creating supplier task instances', () => {
    const createTask = (id: string, template: string) =>
      cmd('CreateSupplierTaskInstance', {
        supplierTaskInstanceId: id,
        templateId: template,
        taskId,
      });
    it('creates one that references its template', () => {
      expect(
        spec.given([created]).when(createTask(supplierTaskInstanceId, templateId)).events,
      ).toEqual([taskCreated]);
    });
    it('rejects an existing instance id', () => {
      expect(
        spec.given(withTask).when(createTask(supplierTaskInstanceId, noteId)).error,
      ).toMatchObject({
        code: 'TASK_INSTANCE.ALREADY_EXISTS',
        kind: 'conflict',
      });
    });
    it('rejects a second instance of the same template', () => {
      expect(
        spec.given(withTask).when(createTask(unknownInstance, templateId)).error,
      ).toMatchObject({
        code: 'TASK_INSTANCE.TEMPLATE_TAKEN',
        kind: 'conflict',
      });
    });
  });

  describe('Status: NOT_STARTED → IN_PROGRESS → COMPLETED, COMPLETED → IN_PROGRESS', () => {
    it.each([
      ['start', start, 'NOT_STARTED', 'IN_PROGRESS'],
      ['complete', complete, 'IN_PROGRESS', 'COMPLETED'],
      ['reopen', reopen, 'COMPLETED', 'IN_PROGRESS'],
    ] as const)('%s moves %s to %s', (_name, command, from, to) => {
      expect(spec.given(inStatus[from]).when(command).events).toEqual([statusChanged(from, to)]);
    });

    it.each([
      ['start', start, 'IN_PROGRESS'],
      ['start', start, 'COMPLETED'],
      ['complete', complete, 'NOT_STARTED'],
      ['complete', complete, 'COMPLETED'],
      ['reopen', reopen, 'NOT_STARTED'],
      ['reopen', reopen, 'IN_PROGRESS'],
    ] as const)('rejects %s from %s as STATUS.INVALID_TRANSITION', (_name, command, from) => {
      expect(spec.given(inStatus[from]).when(command).error).toMatchObject({
        code: 'STATUS.INVALID_TRANSITION',
        kind: 'invariant',
        details: { from },
      });
    });

    it.each([
      ['start', start],
      ['complete', complete],
      ['reopen', reopen],
      ['add a note to', addNote],
      ['override the due date of', override('2026-05-01')],
      ['clear the override of', clearOverride],
    ])('rejects to %s an unknown instance as TASK_INSTANCE.NOT_FOUND', (_name, command) => {
      expect(spec.given([created]).when(command).error).toMatchObject({
        code: 'TASK_INSTANCE.NOT_FOUND',
        kind: 'not_found',
      });
    });

    it('folds a legacy jump NOT_STARTED → COMPLETED as the fact it is', () => {
      const state = spec.given([...withTask, statusChanged('NOT_STARTED', 'COMPLETED')]).state();
      expect(state?.tasks[supplierTaskInstanceId]?.status).toBe('COMPLETED');
      expect(
        spec.given([...withTask, statusChanged('NOT_STARTED', 'COMPLETED')]).when(reopen).events,
      ).toEqual([statusChanged('COMPLETED', 'IN_PROGRESS')]);
    });
  });

  describe('Notes', () => {
    const noteAdded = ev('SupplierTaskNoteAdded', {
      supplierTaskInstanceId,
      noteId,
      text: 'Report uploaded',
      author: 'j.keller@acme.example',
    });
    it('adds a note, in any status', () => {
      expect(spec.given(inStatus.COMPLETED).when(addNote).events).toEqual([noteAdded]);
    });
    it('rejects a note id already used', () => {
      expect(spec.given([...withTask, noteAdded]).when(addNote).error).toMatchObject({
        code: 'NOTE.ALREADY_EXISTS',
        kind: 'conflict',
      });
    });
  });

  describe('Due date override', () => {
    const overridden = ev('SupplierTaskDueDateOverridden', {
      supplierTaskInstanceId,
      dueDate: '2026-05-01',
    });
    it('overrides, and decides nothing for the same date', () => {
      expect(spec.given(withTask).when(override('2026-05-01')).events).toEqual([overridden]);
      expect(spec.given([...withTask, overridden]).when(override('2026-05-01')).events).toEqual([]);
    });
    it('clears an override, and decides nothing when there is none', () => {
      expect(spec.given([...withTask, overridden]).when(clearOverride).events).toEqual([
        ev('SupplierTaskDueDateOverrideCleared', { supplierTaskInstanceId }),
      ]);
      expect(spec.given(withTask).when(clearOverride).events).toEqual([]);
    });
    it('folds override and clear', () => {
      const cleared = ev('SupplierTaskDueDateOverrideCleared', { supplierTaskInstanceId });
      expect(
        spec.given([...withTask, overridden]).state()?.tasks[supplierTaskInstanceId],
      ).toMatchObject({
        dueDateOverride: '2026-05-01',
      });
      expect(
        spec.given([...withTask, overridden, cleared]).state()?.tasks[supplierTaskInstanceId],
      ).toMatchObject({ dueDateOverride: null });
    });
  });
});

describe('folding a whole stream at once', () => {
  const task = (n: number) => `bbbbbbbb-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;
  const otherTemplate = 'bbbbbbbb-0000-4000-8000-000000000009';

  it('gives the state a hand fold of the history gives', () => {
    const history = [
      created,
      ev('SupplierTaskInstanceCreated', { supplierTaskInstanceId: task(1), templateId, taskId }),
      ev('SupplierTaskInstanceCreated', {
        supplierTaskInstanceId: task(2),
        templateId: otherTemplate,
        taskId: null,
      }),
      ev('SupplierTaskStatusChanged', {
        supplierTaskInstanceId: task(2),
        from: 'NOT_STARTED',
        to: 'COMPLETED',
      }),
      ev('SupplierTaskNoteAdded', {
        supplierTaskInstanceId: task(1),
        noteId,
        text: 'a',
        author: 'b',
      }),
      ev('SupplierTaskDueDateOverridden', {
        supplierTaskInstanceId: task(1),
        dueDate: '2026-03-01',
      }),
      // About a task the project does not have: nothing changes.
      ev('SupplierTaskStatusChanged', {
        supplierTaskInstanceId: unknownInstance,
        from: 'NOT_STARTED',
        to: 'IN_PROGRESS',
      }),
    ];
    expect(evolveAll(null, history)).toEqual({
      supplierProjectInstanceId,
      supplierId,
      projectId,
      tasks: {
        [task(1)]: {
          supplierTaskInstanceId: task(1),
          templateId,
          taskId,
          status: 'NOT_STARTED',
          dueDateOverride: '2026-03-01',
          noteIds: [noteId],
        },
        [task(2)]: {
          supplierTaskInstanceId: task(2),
          templateId: otherTemplate,
          taskId: null,
          status: 'COMPLETED',
          dueDateOverride: null,
          noteIds: [],
        },
      },
    });
  });

  const anyEvent = fc.oneof(
    fc.constant(created),
    fc
      .integer({ min: 1, max: 4 })
      .map((n) =>
        ev('SupplierTaskInstanceCreated', { supplierTaskInstanceId: task(n), templateId, taskId }),
      ),
    fc
      .tuple(
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('NOT_STARTED', 'IN_PROGRESS', 'COMPLETED'),
      )
      .map(([n, to]) =>
        ev('SupplierTaskStatusChanged', {
          supplierTaskInstanceId: task(n),
          from: 'NOT_STARTED',
          to: to as SupplierTaskStatus,
        }),
      ),
    fc.integer({ min: 1, max: 5 }).map((n) =>
      ev('SupplierTaskNoteAdded', {
        supplierTaskInstanceId: task(n),
        noteId,
        text: 't',
        author: 'a',
      }),
    ),
    fc.integer({ min: 1, max: 5 }).map((n) =>
      ev('SupplierTaskDueDateOverridden', {
        supplierTaskInstanceId: task(n),
        dueDate: '2026-04-01',
      }),
    ),
    fc
      .integer({ min: 1, max: 5 })
      .map((n) => ev('SupplierTaskDueDateOverrideCleared', { supplierTaskInstanceId: task(n) })),
  );

  it('folds any run of events as folding them one at a time does, and never changes its input', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 30 }), fc.nat(30), (events, cut) => {
        const before = events.slice(0, cut);
        const after = events.slice(cut);
        const start = evolveAll(null, before);
        const startCopy = structuredClone(start);
        const oneByOne = after.reduce(supplierProjectDecider.evolve, start);
        expect(evolveAll(start, after)).toEqual(oneByOne);
        expect(start).toEqual(startCopy);
      }),
    );
  });
});

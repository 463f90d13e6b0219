import type { Row, RowRef, Rows } from '../projection-definition';
import type { V2ProjectionEvent } from '../v2-handlers';
import { supplierTasksV2RowHandlers } from './progress.handlers';
import type { StagedHandlers } from './staged-handlers';
import { NO_DUE_DATE } from './tables';

/**
 * Version 3: version 2's rows and counters, plus counters per template, project and task, and
 * each instance's effective due date on its row.
 *
 * Every grouping attribute of an instance but its supplier derives from its template: its
 * project, its task (hence its current section and its task type's category) and its due date.
 * So counts by status are kept per template, per project and per task, and the open instances
 * are counted per scope (everything, a project, a task, a template) and effective due date.
 * Progress per project, section or category is then a GROUP BY over a few counter rows (a
 * section or a category is its tasks' rows, joined at read time, so a task's move or a category
 * change changes no counter); overdue and due soon compare the due dates with today at read
 * time (today moves, the counters do not). A template's due-date change moves its open
 * followers' count (kept on its row) from one date to the other in each scope: a few rows.
 */
export const TEMPLATE_PROGRESS = 'template_progress';
export const SCOPE_PROGRESS = 'scope_progress';
export const OPEN_BY_DUE_DATE = 'open_by_due_date';

const STATUS_COLUMN = {
  NOT_STARTED: 'not_started',
  IN_PROGRESS: 'in_progress',
  COMPLETED: 'completed',
} as const;
export type Status = keyof typeof STATUS_COLUMN;

/**
 * What open instances are counted under: everything, a project, a task, a template (and from
 * version 4 a project's task type, see task-type-counters.handlers.ts).
 */
type ScopeKind = 'all' | 'project' | 'task' | 'template' | 'project_task_type';
export interface Scope {
  kind: ScopeKind;
  id: string;
}
/** The project and task of a template, as its counter row (or an instance row) holds them. */
interface Counted {
  templateId: string;
  projectId: string;
  taskId: string | null;
}

const isOpen = (status: Status) => status !== 'COMPLETED';
const dateScopes = (c: Counted): Scope[] => [
  { kind: 'all', id: '' },
  { kind: 'project', id: c.projectId },
  { kind: 'task', id: c.taskId ?? '' },
  { kind: 'template', id: c.templateId },
];
/** Counts by status are kept per template on its own row, per project and task here. */
const statusScopes = (c: Counted): Scope[] => [
  { kind: 'project', id: c.projectId },
  { kind: 'task', id: c.taskId ?? '' },
];
export const bucketId = ({ kind, id }: Scope, date: string) => `${kind}|${id}|${date}`;
export const scopeId = ({ kind, id }: Scope) => `${kind}|${id}`;

const countedOfTemplate = (row: Row): Counted => ({
  templateId: row.id,
  projectId: row.project_id as string,
  taskId: row.task_id as string | null,
});
const countedOfInstance = (row: Row): Counted => ({
  templateId: row.template_id as string,
  projectId: row.counted_project_id as string,
  taskId: row.counted_task_id as string | null,
});

const templateRef = (templateId: string): RowRef => ({ table: TEMPLATE_PROGRESS, id: templateId });
const bucketRefs = (c: Counted, dates: string[]): RowRef[] =>
  dateScopes(c).flatMap((scope) =>
    dates.map((date) => ({ table: OPEN_BY_DUE_DATE, id: bucketId(scope, date) })),
  );
const statusRefs = (c: Counted): RowRef[] =>
  statusScopes(c).map((scope) => ({ table: SCOPE_PROGRESS, id: scopeId(scope) }));

function existing(rows: Pick<Rows, 'get'>, table: string, id: string): Row {
  const row = rows.get(table, id);
  if (!row) throw new Error(`${table} ${id} does not exist`);
  return row;
}

/** `n` more (or fewer) open instances due on `date`, in every scope of `c`. */
function countOpen(rows: Rows, c: Counted, date: string, n: number): void {
  countOpenIn(rows, dateScopes(c), date, n);
}

/** `n` more (or fewer) open instances due on `date`, in each of `scopes`. */
export function countOpenIn(rows: Rows, scopes: Scope[], date: string, n: number): void {
  if (n === 0) return;
  for (const scope of scopes) {
    const id = bucketId(scope, date);
    const open = ((rows.get(OPEN_BY_DUE_DATE, id)?.open as number | undefined) ?? 0) + n;
    if (open === 0) rows.delete(OPEN_BY_DUE_DATE, id);
    else
      rows.put(OPEN_BY_DUE_DATE, {
        id,
        kind: scope.kind,
        scope_id: scope.id,
        due_date: date,
        open,
      });
  }
}

/** A counter row with `changes` added to its columns. */
const withChanges = (row: Row, changes: Partial<Record<string, number>>): Row => ({
  ...row,
  ...Object.fromEntries(
    Object.entries(changes).map(([column, n]) => [column, (row[column] as number) + n!]),
  ),
});

/** Changes of counts by status, on the template's row and its project's and task's. */
function countStatus(rows: Rows, c: Counted, changes: Partial<Record<string, number>>): void {
  rows.put(
    TEMPLATE_PROGRESS,
    withChanges(existing(rows, TEMPLATE_PROGRESS, c.templateId), changes),
  );
  countStatusIn(rows, statusScopes(c), changes);
}

/** Changes of counts by status, on the counter rows of `scopes`. */
export function countStatusIn(
  rows: Rows,
  scopes: Scope[],
  changes: Partial<Record<string, number>>,
): void {
  for (const scope of scopes)
    rows.put(
      SCOPE_PROGRESS,
      withChanges(
        rows.get(SCOPE_PROGRESS, scopeId(scope)) ?? {
          id: scopeId(scope),
          kind: scope.kind,
          scope_id: scope.id,
          total: 0,
          not_started: 0,
          in_progress: 0,
          completed: 0,
        },
        changes,
      ),
    );
}

/** One more or one fewer open instance following the template's date, on its row. */
function countFollower(rows: Rows, templateId: string, n: number): void {
  const row = existing(rows, TEMPLATE_PROGRESS, templateId);
  rows.update(TEMPLATE_PROGRESS, templateId, {
    open_on_template_date: (row.open_on_template_date as number) + n,
  });
}

type InstanceEvent = V2ProjectionEvent<
  | 'SupplierTaskStatusChanged'
  | 'SupplierTaskDueDateOverridden'
  | 'SupplierTaskDueDateOverrideCleared'
>;
const instanceOf = (rows: Pick<Rows, 'get'>, event: InstanceEvent) =>
  rows.get('task_instances', event.data.supplierTaskInstanceId);

/** The counter rows an instance's change needs: its template's, its scopes' at `dates`. */
function instanceCounters(
  rows: Pick<Rows, 'get'>,
  event: InstanceEvent,
  dates: (instance: Row) => string[],
): RowRef[] {
  const instance = instanceOf(rows, event);
  if (!instance) return [];
  const c = countedOfInstance(instance);
  return [
    templateRef(c.templateId),
    { table: 'templates', id: c.templateId },
    ...statusRefs(c),
    ...bucketRefs(c, dates(instance)),
  ];
}

/** The counter rows a template's due-date change needs: its scopes' at both dates. */
function templateCounters(rows: Pick<Rows, 'get'>, templateId: string, newDate: string): RowRef[] {
  const counters = rows.get(TEMPLATE_PROGRESS, templateId);
  if (!counters) return [];
  const old = (rows.get('templates', templateId)?.due_date as string | undefined) ?? NO_DUE_DATE;
  return bucketRefs(countedOfTemplate(counters), [old, newDate]);
}

/** The instances of a template that follow its due date (no override), for a due-date change. */
const followers = (rows: Rows, templateId: string) =>
  rows
    .where('task_instances', 'template_id', templateId)
    .filter((i) => i.due_date_override === null);

/** A template's due date becomes `date`: its open followers move there in every count. */
function moveTemplateDate(rows: Rows, templateId: string, date: string): void {
  const counters = rows.get(TEMPLATE_PROGRESS, templateId);
  if (!counters) return;
  const old = (rows.get('templates', templateId)?.due_date as string | undefined) ?? NO_DUE_DATE;
  const n = counters.open_on_template_date as number;
  const c = countedOfTemplate(counters);
  countOpen(rows, c, old, -n);
  countOpen(rows, c, date, n);
  for (const instance of followers(rows, templateId))
    rows.update('task_instances', instance.id, { due_date_key: date });
}

const templateSets = (templateId: string) => [
  { table: 'task_instances', column: 'template_id', value: templateId },
];

const v2 = supplierTasksV2RowHandlers;

export const supplierTasksV3RowHandlers: StagedHandlers = {
  ...v2,
  ProjectTaskTemplateCreated: {
    reads: ({ data }) => [templateRef(data.templateId)],
    apply: (event, rows) => {
      const d = event.data;
      v2.ProjectTaskTemplateCreated.apply(event, rows);
      // Instances of a template the log names before creating it (legacy) may have counted already.
      const counted = rows.get(TEMPLATE_PROGRESS, d.templateId);
      rows.put(TEMPLATE_PROGRESS, {
        id: d.templateId,
        project_id: d.projectId,
        task_id: d.taskId,
        total: 0,
        not_started: 0,
        in_progress: 0,
        completed: 0,
        open_on_template_date: 0,
        ...counted,
      });
    },
  },
  ProjectTaskTemplateDueDateChanged: {
    reads: (event) => [
      ...(v2.ProjectTaskTemplateDueDateChanged.reads?.(event) ?? []),
      templateRef(event.data.templateId),
    ],
    readsWhere: ({ data }) => templateSets(data.templateId),
    readsAfter: ({ data }, rows) => templateCounters(rows, data.templateId, data.dueDate),
    apply: (event, rows) => {
      moveTemplateDate(rows, event.data.templateId, event.data.dueDate);
      v2.ProjectTaskTemplateDueDateChanged.apply(event, rows);
    },
  },
  ProjectTaskTemplateRemoved: {
    reads: ({ data }) => [
      templateRef(data.templateId),
      { table: 'templates', id: data.templateId },
    ],
    readsWhere: ({ data }) => templateSets(data.templateId),
    readsAfter: ({ data }, rows) => templateCounters(rows, data.templateId, NO_DUE_DATE),
    apply: (event, rows) => {
      // Its instances keep their counts; those that followed its date have none now.
      moveTemplateDate(rows, event.data.templateId, NO_DUE_DATE);
      v2.ProjectTaskTemplateRemoved.apply(event, rows);
    },
  },
  SupplierTaskInstanceCreated: {
    reads: (event) => [
      ...(v2.SupplierTaskInstanceCreated.reads?.(event) ?? []),
      templateRef(event.data.templateId),
      { table: 'templates', id: event.data.templateId },
    ],
    readsAfter: ({ data }, rows) => {
      const counters = rows.get(TEMPLATE_PROGRESS, data.templateId);
      const owner = rows.get('supplier_projects', data.supplierProjectInstanceId);
      const template = rows.get('templates', data.templateId);
      const c: Counted = counters
        ? countedOfTemplate(counters)
        : {
            templateId: data.templateId,
            projectId: (owner?.project_id as string | undefined) ?? '',
            taskId: data.taskId,
          };
      return [
        ...statusRefs(c),
        ...bucketRefs(c, [(template?.due_date as string | undefined) ?? NO_DUE_DATE]),
      ];
    },
    apply: (event, rows) => {
      const d = event.data;
      v2.SupplierTaskInstanceCreated.apply(event, rows);
      const owner = existing(rows, 'supplier_projects', d.supplierProjectInstanceId);
      const counters = rows.get(TEMPLATE_PROGRESS, d.templateId) ?? {
        // A template the log has not created (legacy): counted under its id all the same.
        id: d.templateId,
        project_id: owner.project_id as string,
        task_id: d.taskId,
        total: 0,
        not_started: 0,
        in_progress: 0,
        completed: 0,
        open_on_template_date: 0,
      };
      rows.put(TEMPLATE_PROGRESS, counters);
      const c = countedOfTemplate(counters);
      const dueDate =
        (rows.get('templates', d.templateId)?.due_date as string | undefined) ?? NO_DUE_DATE;
      rows.update('task_instances', d.supplierTaskInstanceId, {
        due_date_key: dueDate,
        is_open: true,
        counted_project_id: c.projectId,
        counted_task_id: c.taskId,
      });
      countStatus(rows, c, { total: 1, not_started: 1 });
      countFollower(rows, d.templateId, 1);
      countOpen(rows, c, dueDate, 1);
    },
  },
  SupplierTaskStatusChanged: {
    reads: v2.SupplierTaskStatusChanged.reads,
    readsAfter: (event, rows) => instanceCounters(rows, event, (i) => [i.due_date_key as string]),
    apply: (event, rows) => {
      const instance = existing(rows, 'task_instances', event.data.supplierTaskInstanceId);
      const c = countedOfInstance(instance);
      // The instance's own status, not the event's `from`: the count it leaves is the one it is in.
      const from = instance.status as Status;
      const to = event.data.to;
      if (from !== to) countStatus(rows, c, { [STATUS_COLUMN[from]]: -1, [STATUS_COLUMN[to]]: 1 });
      if (isOpen(from) !== isOpen(to)) {
        const n = isOpen(to) ? 1 : -1;
        countOpen(rows, c, instance.due_date_key as string, n);
        if (instance.due_date_override === null) countFollower(rows, c.templateId, n);
      }
      v2.SupplierTaskStatusChanged.apply(event, rows);
      rows.update('task_instances', instance.id, { is_open: isOpen(to) });
    },
  },
  SupplierTaskDueDateOverridden: {
    reads: v2.SupplierTaskDueDateOverridden.reads,
    readsAfter: (event, rows) =>
      instanceCounters(rows, event, (i) => [i.due_date_key as string, event.data.dueDate]),
    apply: (event, rows) => {
      const instance = existing(rows, 'task_instances', event.data.supplierTaskInstanceId);
      if (instance.is_open) {
        const c = countedOfInstance(instance);
        countOpen(rows, c, instance.due_date_key as string, -1);
        countOpen(rows, c, event.data.dueDate, 1);
        if (instance.due_date_override === null) countFollower(rows, c.templateId, -1);
      }
      v2.SupplierTaskDueDateOverridden.apply(event, rows);
      rows.update('task_instances', instance.id, { due_date_key: event.data.dueDate });
    },
  },
  SupplierTaskDueDateOverrideCleared: {
    reads: v2.SupplierTaskDueDateOverrideCleared.reads,
    readsAfter: (event, rows) =>
      instanceCounters(rows, event, (i) => [
        i.due_date_key as string,
        (rows.get('templates', i.template_id as string)?.due_date as string | undefined) ??
          NO_DUE_DATE,
      ]),
    apply: (event, rows) => {
      const instance = existing(rows, 'task_instances', event.data.supplierTaskInstanceId);
      const c = countedOfInstance(instance);
      const dueDate =
        (rows.get('templates', c.templateId)?.due_date as string | undefined) ?? NO_DUE_DATE;
      if (instance.is_open && instance.due_date_override !== null) {
        countOpen(rows, c, instance.due_date_key as string, -1);
        countOpen(rows, c, dueDate, 1);
        countFollower(rows, c.templateId, 1);
      }
      v2.SupplierTaskDueDateOverrideCleared.apply(event, rows);
      rows.update('task_instances', instance.id, { due_date_key: dueDate });
    },
  },
};

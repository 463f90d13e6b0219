import type { Row, RowRef, Rows } from '../projection-definition';
import type { V2ProjectionEvent } from '../v2-handlers';
import type { StagedHandlers } from './staged-handlers';
import { NO_DUE_DATE } from './tables';
import {
  OPEN_BY_DUE_DATE,
  SCOPE_PROGRESS,
  TEMPLATE_PROGRESS,
  bucketId,
  countOpenIn,
  countStatusIn,
  scopeId,
  supplierTasksV3RowHandlers,
  type Scope,
  type Status,
} from './template-counters.handlers';

/**
 * Version 4: version 3 and the same counts per project and task type, which progress per
 * project within a category sums: a row per project and task type rather than one per template
 * (a category is its task types, joined at read time, so a category change changes no counter).
 *
 * An instance is counted under its template's project and the type of its template's task. A
 * task never leaves its task type, but a legacy log may name a task before creating it: until
 * then its templates and instances are counted under the project and no type (read as no
 * category, as version 3 reads them through the missing task), and TaskCreated moves them.
 *
 * Each handler is version 3's, then the same change here: the instance rows it changed are
 * counted out as they were and in as they are, so these counts follow version 3's by design.
 */
const KIND = 'project_task_type';
const scopeOf = (projectId: string, taskTypeId: string): Scope => ({
  kind: KIND,
  id: `${projectId}|${taskTypeId}`,
});
/** A status's counter column: `NOT_STARTED` is counted in `not_started`. */
const columnOf = (status: Status) => status.toLowerCase();

// Version 3 keeps its own private: exporting it would change the compiled text of version 3's
// handlers, which is their fingerprint.
function existing(rows: Pick<Rows, 'get'>, table: string, id: string): Row {
  const row = rows.get(table, id);
  if (!row) throw new Error(`${table} ${id} does not exist`);
  return row;
}

/** What a task row says of its type: none while the task is not created. */
const typeOfTask = (rows: Pick<Rows, 'get'>, taskId: string | null): string =>
  taskId === null ? '' : ((rows.get('tasks', taskId)?.task_type_id as string | undefined) ?? '');

/**
 * The type a template's counters are kept under, given them now if they have none: its task's.
 * Counters made before (their instances came first, a legacy log) keep the type they have.
 */
function typeOfTemplate(rows: Rows, templateId: string): string {
  const counters = existing(rows, TEMPLATE_PROGRESS, templateId);
  if (typeof counters.counted_task_type_id === 'string') return counters.counted_task_type_id;
  const type = typeOfTask(rows, counters.task_id as string | null);
  rows.update(TEMPLATE_PROGRESS, templateId, { counted_task_type_id: type });
  return type;
}

/** What an instance row counts in here: its scope, its status, whether and when it is open. */
interface Counting {
  scope: Scope;
  status: Status;
  open: boolean;
  date: string;
}
const countingOf = (row: Row): Counting => ({
  scope: scopeOf(row.counted_project_id as string, row.counted_task_type_id as string),
  status: row.status as Status,
  open: row.is_open as boolean,
  date: row.due_date_key as string,
});

function count(rows: Rows, c: Counting, n: 1 | -1): void {
  countStatusIn(rows, [c.scope], { total: n, [columnOf(c.status)]: n });
  if (c.open) countOpenIn(rows, [c.scope], c.date, n);
}

/** The counter rows of `scopes` a change needs: their counts by status, their open ones at `dates`. */
const countersOf = (scopes: Scope[], dates: string[]): RowRef[] => [
  ...scopes.map((scope) => ({ table: SCOPE_PROGRESS, id: scopeId(scope) })),
  ...scopes.flatMap((scope) =>
    dates.map((date) => ({ table: OPEN_BY_DUE_DATE, id: bucketId(scope, date) })),
  ),
];

/** Runs `change` on the rows, and moves the instance rows `ids` in these counts as it moved them. */
function recounted(rows: Rows, ids: string[], change: () => void): void {
  const before = ids.map((id) => countingOf(existing(rows, 'task_instances', id)));
  change();
  for (const c of before) count(rows, c, -1);
  for (const id of ids) count(rows, countingOf(existing(rows, 'task_instances', id)), 1);
}

type InstanceEvent = V2ProjectionEvent<
  | 'SupplierTaskStatusChanged'
  | 'SupplierTaskDueDateOverridden'
  | 'SupplierTaskDueDateOverrideCleared'
>;
/** The counter rows an instance's change needs here: its scope's, at its date and at `also`. */
function instanceCounters(
  rows: Pick<Rows, 'get'>,
  event: InstanceEvent,
  also: (instance: Row) => string[],
): RowRef[] {
  const instance = rows.get('task_instances', event.data.supplierTaskInstanceId);
  if (!instance) return [];
  const c = countingOf(instance);
  return countersOf([c.scope], [c.date, ...also(instance)]);
}
const templateDate = (rows: Pick<Rows, 'get'>, templateId: string) =>
  (rows.get('templates', templateId)?.due_date as string | undefined) ?? NO_DUE_DATE;

/** The counter rows a template's due-date change needs here: its instances' scopes at both dates. */
const templateCounters = (rows: Pick<Rows, 'get' | 'where'>, templateId: string, date: string) =>
  rows
    .where('task_instances', 'template_id', templateId)
    .flatMap((i) => countersOf([countingOf(i).scope], [i.due_date_key as string, date]));
const instancesOf = (rows: Rows, templateId: string) =>
  rows.where('task_instances', 'template_id', templateId).map((i) => i.id);

const v3 = supplierTasksV3RowHandlers;

export const supplierTasksV4RowHandlers: StagedHandlers = {
  ...v3,
  TaskCreated: {
    ...v3.TaskCreated,
    readsWhere: ({ data }) => [
      { table: 'task_instances', column: 'counted_task_id', value: data.taskId },
      { table: TEMPLATE_PROGRESS, column: 'task_id', value: data.taskId },
    ],
    readsAfter: ({ data }, rows) =>
      rows
        .where('task_instances', 'counted_task_id', data.taskId)
        .flatMap((i) =>
          countersOf(
            [
              scopeOf(i.counted_project_id as string, ''),
              scopeOf(i.counted_project_id as string, data.taskTypeId),
            ],
            [i.due_date_key as string],
          ),
        ),
    apply: (event, rows) => {
      const { taskId, taskTypeId } = event.data;
      v3.TaskCreated.apply(event, rows);
      // Counted before the task was created (a legacy log): under no type until now.
      for (const t of rows.where(TEMPLATE_PROGRESS, 'task_id', taskId))
        if (t.counted_task_type_id === '')
          rows.update(TEMPLATE_PROGRESS, t.id, { counted_task_type_id: taskTypeId });
      const waiting = rows
        .where('task_instances', 'counted_task_id', taskId)
        .filter((i) => i.counted_task_type_id === '')
        .map((i) => i.id);
      recounted(rows, waiting, () => {
        for (const id of waiting)
          rows.update('task_instances', id, { counted_task_type_id: taskTypeId });
      });
    },
  },
  ProjectTaskTemplateCreated: {
    ...v3.ProjectTaskTemplateCreated,
    reads: (event) => [
      ...(v3.ProjectTaskTemplateCreated.reads?.(event) ?? []),
      { table: 'tasks', id: event.data.taskId },
    ],
    apply: (event, rows) => {
      v3.ProjectTaskTemplateCreated.apply(event, rows);
      typeOfTemplate(rows, event.data.templateId);
    },
  },
  ProjectTaskTemplateDueDateChanged: {
    ...v3.ProjectTaskTemplateDueDateChanged,
    readsAfter: (event, rows) => [
      ...(v3.ProjectTaskTemplateDueDateChanged.readsAfter?.(event, rows) ?? []),
      ...templateCounters(rows, event.data.templateId, event.data.dueDate),
    ],
    apply: (event, rows) =>
      recounted(rows, instancesOf(rows, event.data.templateId), () =>
        v3.ProjectTaskTemplateDueDateChanged.apply(event, rows),
      ),
  },
  ProjectTaskTemplateRemoved: {
    ...v3.ProjectTaskTemplateRemoved,
    readsAfter: (event, rows) => [
      ...(v3.ProjectTaskTemplateRemoved.readsAfter?.(event, rows) ?? []),
      ...templateCounters(rows, event.data.templateId, NO_DUE_DATE),
    ],
    apply: (event, rows) =>
      recounted(rows, instancesOf(rows, event.data.templateId), () =>
        v3.ProjectTaskTemplateRemoved.apply(event, rows),
      ),
  },
  SupplierTaskInstanceCreated: {
    ...v3.SupplierTaskInstanceCreated,
    readsAfter: (event, rows) => {
      const d = event.data;
      const counters = rows.get(TEMPLATE_PROGRESS, d.templateId);
      const owner = rows.get('supplier_projects', d.supplierProjectInstanceId);
      const taskId = counters ? (counters.task_id as string | null) : d.taskId;
      const projectId = counters
        ? (counters.project_id as string)
        : ((owner?.project_id as string | undefined) ?? '');
      const type =
        (counters?.counted_task_type_id as string | undefined) ?? typeOfTask(rows, taskId);
      return [
        ...(v3.SupplierTaskInstanceCreated.readsAfter?.(event, rows) ?? []),
        ...(taskId === null ? [] : [{ table: 'tasks', id: taskId }]),
        ...countersOf([scopeOf(projectId, type)], [templateDate(rows, d.templateId)]),
      ];
    },
    apply: (event, rows) => {
      const d = event.data;
      v3.SupplierTaskInstanceCreated.apply(event, rows);
      // A template the log has not created (legacy) is counted from its first instance on.
      rows.update('task_instances', d.supplierTaskInstanceId, {
        counted_task_type_id: typeOfTemplate(rows, d.templateId),
      });
      count(rows, countingOf(existing(rows, 'task_instances', d.supplierTaskInstanceId)), 1);
    },
  },
  SupplierTaskStatusChanged: {
    ...v3.SupplierTaskStatusChanged,
    readsAfter: (event, rows) => [
      ...(v3.SupplierTaskStatusChanged.readsAfter?.(event, rows) ?? []),
      ...instanceCounters(rows, event, () => []),
    ],
    apply: (event, rows) =>
      recounted(rows, [event.data.supplierTaskInstanceId], () =>
        v3.SupplierTaskStatusChanged.apply(event, rows),
      ),
  },
  SupplierTaskDueDateOverridden: {
    ...v3.SupplierTaskDueDateOverridden,
    readsAfter: (event, rows) => [
      ...(v3.SupplierTaskDueDateOverridden.readsAfter?.(event, rows) ?? []),
      ...instanceCounters(rows, event, () => [event.data.dueDate]),
    ],
    apply: (event, rows) =>
      recounted(rows, [event.data.supplierTaskInstanceId], () =>
        v3.SupplierTaskDueDateOverridden.apply(event, rows),
      ),
  },
  SupplierTaskDueDateOverrideCleared: {
    ...v3.SupplierTaskDueDateOverrideCleared,
    readsAfter: (event, rows) => [
      ...(v3.SupplierTaskDueDateOverrideCleared.readsAfter?.(event, rows) ?? []),
      ...instanceCounters(rows, event, (i) => [templateDate(rows, i.template_id as string)]),
    ],
    apply: (event, rows) =>
      recounted(rows, [event.data.supplierTaskInstanceId], () =>
        v3.SupplierTaskDueDateOverrideCleared.apply(event, rows),
      ),
  },
};

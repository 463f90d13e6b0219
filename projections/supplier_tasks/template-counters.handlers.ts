import type { Row, RowRef, Rows } from '../projection-definition';
import type { V2ProjectionEvent } from '../v2-handlers';
import { supplierTasksV2RowHandlers } from './progress.handlers';
import type { StagedHandlers } from './staged-handlers';
import { NO_DUE_DATE } from './tables';

/**
 * Version 3: version 2's rows and counters, plus counters per template and each instance's
 * effective due date on its row.
 *
 * Every grouping attribute of an instance but its supplier derives from its template (project;
 * task, hence section and category; the template's current due date), so the counters are kept
 * per template: counts by status, the open instances that follow the template's due date, and
 * per (template, override date) the open instances overridden to that date. Progress of any
 * project, section or category is then a GROUP BY over template rows, overdue and due soon
 * compare the template's current due date (or the override date) with today at read time, and
 * a template's due-date change or a task's move changes no counter.
 */
export const TEMPLATE_PROGRESS = 'template_progress';
export const OVERRIDE_COUNTS = 'override_open_counts';

const STATUS_COLUMN = {
  NOT_STARTED: 'not_started',
  IN_PROGRESS: 'in_progress',
  COMPLETED: 'completed',
} as const;
type Status = keyof typeof STATUS_COLUMN;

const isOpen = (status: Status) => status !== 'COMPLETED';
const overrideId = (templateId: string, dueDate: string) => `${templateId}|${dueDate}`;
const templateProgressRef = (templateId: string): RowRef => ({
  table: TEMPLATE_PROGRESS,
  id: templateId,
});

function existing(rows: Pick<Rows, 'get'>, table: string, id: string): Row {
  const row = rows.get(table, id);
  if (!row) throw new Error(`${table} ${id} does not exist`);
  return row;
}

const add = (rows: Rows, table: string, row: Row, column: string, delta: number) =>
  rows.update(table, row.id, { [column]: (row[column] as number) + delta });

/** One more or one fewer open instance on `templateId`: following its date, or overridden to one. */
function countOpen(rows: Rows, templateId: string, override: string | null, delta: 1 | -1) {
  if (override === null) {
    add(
      rows,
      TEMPLATE_PROGRESS,
      existing(rows, TEMPLATE_PROGRESS, templateId),
      'open_on_template_date',
      delta,
    );
    return;
  }
  const id = overrideId(templateId, override);
  const open = ((rows.get(OVERRIDE_COUNTS, id)?.open as number | undefined) ?? 0) + delta;
  if (open === 0) rows.delete(OVERRIDE_COUNTS, id);
  else rows.put(OVERRIDE_COUNTS, { id, template_id: templateId, due_date: override, open });
}

/** The rows a change to an instance's counts needs, named by the instance's template. */
function instanceCounters(
  rows: Pick<Rows, 'get'>,
  instanceId: string,
  overrideDates: (instance: Row) => Array<string | null>,
): RowRef[] {
  const instance = rows.get('task_instances', instanceId);
  if (!instance) return [];
  const templateId = instance.template_id as string;
  return [
    templateProgressRef(templateId),
    { table: 'templates', id: templateId },
    ...overrideDates(instance).flatMap((date) =>
      date === null ? [] : [{ table: OVERRIDE_COUNTS, id: overrideId(templateId, date) }],
    ),
  ];
}

type InstanceEvent = V2ProjectionEvent<
  | 'SupplierTaskStatusChanged'
  | 'SupplierTaskDueDateOverridden'
  | 'SupplierTaskDueDateOverrideCleared'
>;
const currentOverride = (instance: Row) => [instance.due_date_override as string | null];
const instanceOf = (rows: Rows, event: InstanceEvent) =>
  existing(rows, 'task_instances', event.data.supplierTaskInstanceId);

/** The instances of a template that follow its due date (no override), for a due-date change. */
const followers = (rows: Rows, templateId: string) =>
  rows
    .where('task_instances', 'template_id', templateId)
    .filter((i) => i.due_date_override === null);

const v2 = supplierTasksV2RowHandlers;

export const supplierTasksV3RowHandlers: StagedHandlers = {
  ...v2,
  ProjectTaskTemplateCreated: {
    reads: ({ data }) => [templateProgressRef(data.templateId)],
    apply: (event, rows) => {
      const d = event.data;
      v2.ProjectTaskTemplateCreated.apply(event, rows);
      // Instances of a template the log names before creating it (legacy) may have counted already.
      const counted = rows.get(TEMPLATE_PROGRESS, d.templateId);
      rows.put(TEMPLATE_PROGRESS, {
        total: 0,
        not_started: 0,
        in_progress: 0,
        completed: 0,
        open_on_template_date: 0,
        ...counted,
        id: d.templateId,
        project_id: d.projectId,
        task_id: d.taskId,
      });
    },
  },
  ProjectTaskTemplateDueDateChanged: {
    reads: v2.ProjectTaskTemplateDueDateChanged.reads,
    readsWhere: ({ data }) => [
      { table: 'task_instances', column: 'template_id', value: data.templateId },
    ],
    apply: (event, rows) => {
      v2.ProjectTaskTemplateDueDateChanged.apply(event, rows);
      for (const instance of followers(rows, event.data.templateId))
        rows.update('task_instances', instance.id, { due_date_key: event.data.dueDate });
    },
  },
  ProjectTaskTemplateRemoved: {
    readsWhere: ({ data }) => [
      { table: 'task_instances', column: 'template_id', value: data.templateId },
    ],
    apply: (event, rows) => {
      v2.ProjectTaskTemplateRemoved.apply(event, rows);
      for (const instance of followers(rows, event.data.templateId))
        rows.update('task_instances', instance.id, { due_date_key: NO_DUE_DATE });
    },
  },
  SupplierTaskInstanceCreated: {
    reads: (event) => [
      ...(v2.SupplierTaskInstanceCreated.reads?.(event) ?? []),
      templateProgressRef(event.data.templateId),
      { table: 'templates', id: event.data.templateId },
    ],
    apply: (event, rows) => {
      const d = event.data;
      v2.SupplierTaskInstanceCreated.apply(event, rows);
      const template = rows.get('templates', d.templateId);
      rows.update('task_instances', d.supplierTaskInstanceId, {
        due_date_key: (template?.due_date as string | undefined) ?? NO_DUE_DATE,
        is_open: true,
      });
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
      rows.put(TEMPLATE_PROGRESS, {
        ...counters,
        total: (counters.total as number) + 1,
        not_started: (counters.not_started as number) + 1,
        open_on_template_date: (counters.open_on_template_date as number) + 1,
      });
    },
  },
  SupplierTaskStatusChanged: {
    reads: v2.SupplierTaskStatusChanged.reads,
    readsAfter: (event, rows) =>
      instanceCounters(rows, event.data.supplierTaskInstanceId, currentOverride),
    apply: (event, rows) => {
      const instance = instanceOf(rows, event);
      const templateId = instance.template_id as string;
      // The instance's own status, not the event's `from`: the count it leaves is the one it is in.
      const from = instance.status as Status;
      const to = event.data.to;
      if (from !== to) {
        const counters = existing(rows, TEMPLATE_PROGRESS, templateId);
        rows.update(TEMPLATE_PROGRESS, templateId, {
          [STATUS_COLUMN[from]]: (counters[STATUS_COLUMN[from]] as number) - 1,
          [STATUS_COLUMN[to]]: (counters[STATUS_COLUMN[to]] as number) + 1,
        });
      }
      if (isOpen(from) !== isOpen(to))
        countOpen(
          rows,
          templateId,
          instance.due_date_override as string | null,
          isOpen(to) ? 1 : -1,
        );
      v2.SupplierTaskStatusChanged.apply(event, rows);
      rows.update('task_instances', instance.id, { is_open: isOpen(to) });
    },
  },
  SupplierTaskDueDateOverridden: {
    reads: v2.SupplierTaskDueDateOverridden.reads,
    readsAfter: (event, rows) =>
      instanceCounters(rows, event.data.supplierTaskInstanceId, (i) => [
        ...currentOverride(i),
        event.data.dueDate,
      ]),
    apply: (event, rows) => {
      const instance = instanceOf(rows, event);
      if (instance.is_open) {
        const templateId = instance.template_id as string;
        countOpen(rows, templateId, instance.due_date_override as string | null, -1);
        countOpen(rows, templateId, event.data.dueDate, 1);
      }
      v2.SupplierTaskDueDateOverridden.apply(event, rows);
      rows.update('task_instances', instance.id, { due_date_key: event.data.dueDate });
    },
  },
  SupplierTaskDueDateOverrideCleared: {
    reads: v2.SupplierTaskDueDateOverrideCleared.reads,
    readsAfter: (event, rows) =>
      instanceCounters(rows, event.data.supplierTaskInstanceId, currentOverride),
    apply: (event, rows) => {
      const instance = instanceOf(rows, event);
      const templateId = instance.template_id as string;
      const override = instance.due_date_override as string | null;
      if (instance.is_open && override !== null) {
        countOpen(rows, templateId, override, -1);
        countOpen(rows, templateId, null, 1);
      }
      v2.SupplierTaskDueDateOverrideCleared.apply(event, rows);
      const template = rows.get('templates', templateId);
      rows.update('task_instances', instance.id, {
        due_date_key: (template?.due_date as string | undefined) ?? NO_DUE_DATE,
      });
    },
  },
};

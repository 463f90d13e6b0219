import type { Row, RowRef, Rows } from '../projection-definition';
import type { V2Handler, V2Handlers, V2EventType } from '../v2-handlers';
import { supplierTasksRowHandlers } from './supplier-tasks.handlers';

/**
 * Version 2: the rows of version 1 plus each supplier project's progress counters, kept by the
 * same handlers in the same transaction. A status change names only its supplier project and
 * instance, so a supplier project is the widest scope whose counter row `reads` can name; a
 * project's or a supplier's progress is the sum of its supplier projects' rows.
 */
export const PROGRESS_TABLE = 'supplier_project_progress';

const STATUS_COLUMN = {
  NOT_STARTED: 'not_started',
  IN_PROGRESS: 'in_progress',
  COMPLETED: 'completed',
} as const;
type Status = keyof typeof STATUS_COLUMN;

const progressRef = (supplierProjectInstanceId: string): RowRef => ({
  table: PROGRESS_TABLE,
  id: supplierProjectInstanceId,
});

function counters(rows: Rows, supplierProjectInstanceId: string): Row {
  const row = rows.get(PROGRESS_TABLE, supplierProjectInstanceId);
  if (!row) throw new Error(`supplier project ${supplierProjectInstanceId} has no progress row`);
  return row;
}

/** Version 1's handler for the type, with the progress change applied before its own row changes. */
function withProgress<T extends V2EventType>(
  base: V2Handler<T>,
  supplierProjectOf: (event: Parameters<V2Handler<T>['apply']>[0]) => string,
  progress: V2Handler<T>['apply'],
): V2Handler<T> {
  return {
    reads: (event) => [...(base.reads?.(event) ?? []), progressRef(supplierProjectOf(event))],
    apply: (event, rows) => {
      progress(event, rows);
      base.apply(event, rows);
    },
  };
}

const v1 = supplierTasksRowHandlers;

export const supplierTasksV2RowHandlers: V2Handlers<never> = {
  ...v1,
  SupplierProjectInstanceCreated: {
    apply: (event, rows) => {
      const d = event.data;
      v1.SupplierProjectInstanceCreated.apply(event, rows);
      rows.put(PROGRESS_TABLE, {
        id: d.supplierProjectInstanceId,
        supplier_id: d.supplierId,
        project_id: d.projectId,
        total: 0,
        not_started: 0,
        in_progress: 0,
        completed: 0,
      });
    },
  },
  SupplierTaskInstanceCreated: withProgress(
    v1.SupplierTaskInstanceCreated,
    (e) => e.data.supplierProjectInstanceId,
    ({ data: d }, rows) => {
      const row = counters(rows, d.supplierProjectInstanceId);
      rows.update(PROGRESS_TABLE, row.id, {
        total: (row.total as number) + 1,
        not_started: (row.not_started as number) + 1,
      });
    },
  ),
  SupplierTaskStatusChanged: withProgress(
    v1.SupplierTaskStatusChanged,
    (e) => e.data.supplierProjectInstanceId,
    ({ data: d }, rows) => {
      // The instance's own status, not the event's `from`: the count it leaves is the one it is in.
      const instance = rows.get('task_instances', d.supplierTaskInstanceId);
      if (!instance) throw new Error(`task instance ${d.supplierTaskInstanceId} does not exist`);
      const from = STATUS_COLUMN[instance.status as Status];
      const to = STATUS_COLUMN[d.to];
      if (from === to) return;
      const row = counters(rows, d.supplierProjectInstanceId);
      rows.update(PROGRESS_TABLE, row.id, {
        [from]: (row[from] as number) - 1,
        [to]: (row[to] as number) + 1,
      });
    },
  ),
};

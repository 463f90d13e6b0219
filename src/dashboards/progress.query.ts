import type { Knex } from 'knex';
import type { DashboardFilters, ProgressGrouping } from './dashboard-params';
import type { DueWindow } from './due-window';
import { instanceScope } from './instance-scope';
import type { ReadModel } from './read-model';

export interface ProgressRow {
  key: string;
  label: string;
  total: number;
  notStarted: number;
  inProgress: number;
  completed: number;
  overdue: number;
  dueSoon: number;
}

interface Grouping {
  key: string;
  /** Joins what the label needs onto the scope. */
  join(query: Knex.QueryBuilder, model: ReadModel): Knex.QueryBuilder;
  label: string;
}

const GROUPINGS: Record<ProgressGrouping, Grouping> = {
  project: {
    key: 'd.project_id',
    join: (q, m) => q.leftJoin(m.relation('projects', 'p'), 'p.id', 'd.project_id'),
    label: 'p.name',
  },
  supplier: {
    key: 'd.supplier_id',
    join: (q, m) => q.leftJoin(m.relation('suppliers', 's'), 's.id', 'd.supplier_id'),
    label: 's.name',
  },
  section: {
    key: 'd.section_id',
    join: (q, m) => q.leftJoin(m.relation('sections', 'sec'), 'sec.id', 'd.section_id'),
    label: 'sec.name',
  },
  category: { key: 'tt.category', join: (q) => q, label: 'tt.category' },
  'supplier-project': {
    key: 'd.supplier_project_id',
    join: (q, m) =>
      q
        .leftJoin(m.relation('suppliers', 's'), 's.id', 'd.supplier_id')
        .leftJoin(m.relation('projects', 'p'), 'p.id', 'd.project_id'),
    // The supplier's name and the project's, which is how a manager names the pair.
    label: "concat_ws(' / ', s.name, p.name)",
  },
};

type Counted = Record<keyof ProgressRow, string | number>;

/**
 * Progress per group: counts by status, and the active instances whose due date falls before
 * `asOf` (overdue) or from `asOf` to `asOf + dueSoonDays` (due soon). Instances with no group
 * (no section, no category) are left out of that grouping.
 */
export async function progress(
  model: ReadModel,
  by: ProgressGrouping,
  filters: DashboardFilters,
  window: DueWindow,
): Promise<ProgressRow[]> {
  const grouping = GROUPINGS[by];
  const k = model.knex;
  const count = (alias: string, condition: string, bindings: string[]) =>
    k.raw(`count(*) FILTER (WHERE ${condition})::int AS ??`, [...bindings, alias]);
  const query = grouping
    .join(instanceScope(model, filters), model)
    .whereNotNull(grouping.key)
    .select(
      k.raw('?? AS key', [grouping.key]),
      k.raw(`max(${grouping.label}) AS label`),
      k.raw('count(*)::int AS total'),
      count('notStarted', '?? = ?', ['d.status', 'NOT_STARTED']),
      count('inProgress', '?? = ?', ['d.status', 'IN_PROGRESS']),
      count('completed', '?? = ?', ['d.status', 'COMPLETED']),
      count('overdue', '?? <> ? AND ?? < ?', ['d.status', 'COMPLETED', 'd.due_date', window.asOf]),
      count('dueSoon', '?? <> ? AND ?? BETWEEN ? AND ?', [
        'd.status',
        'COMPLETED',
        'd.due_date',
        window.asOf,
        window.until,
      ]),
    )
    .groupBy(grouping.key)
    .orderBy([{ column: 'label' }, { column: 'key' }]);
  const rows = await model.rows<Counted>(query);
  return rows.map((r) => ({
    key: String(r.key),
    label: String(r.label ?? r.key),
    total: Number(r.total),
    notStarted: Number(r.notStarted),
    inProgress: Number(r.inProgress),
    completed: Number(r.completed),
    overdue: Number(r.overdue),
    dueSoon: Number(r.dueSoon),
  }));
}

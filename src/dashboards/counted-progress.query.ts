import type { Knex } from 'knex';
import type { DashboardFilters, ProgressGrouping } from './dashboard-params';
import type { DueWindow } from './due-window';
import { instanceScope } from './instance-scope';
import { progressRowOf, type Counted, type ProgressRow } from './progress-row';
import type { ReadModel } from './read-model';

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

/** `count(*) FILTER (WHERE condition)` as an int column named `alias`, on `k`. */
export const countWhere = (k: Knex) => (alias: string, condition: string, bindings: string[]) =>
  k.raw(`count(*) FILTER (WHERE ${condition})::int AS ??`, [...bindings, alias]);

/**
 * Progress counted from the instance rows, one GROUP BY over the filtered scope: what versions
 * without counters offer, and what a scope of one supplier's instances costs little to count.
 */
export async function countedProgress(
  model: ReadModel,
  by: ProgressGrouping,
  filters: DashboardFilters,
  window: DueWindow,
): Promise<ProgressRow[]> {
  const grouping = GROUPINGS[by];
  const k = model.knex;
  const count = countWhere(k);
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
    .groupBy(grouping.key);
  return (await model.rows<Counted>(query)).map(progressRowOf);
}

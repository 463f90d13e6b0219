import type { Knex } from 'knex';
import type { DashboardFilters } from './dashboard-params';
import type { DueWindow } from './due-window';
import { encodeCursor } from './keyset-cursor';
import {
  pageOf,
  progressRowOf,
  type Counted,
  type ProgressPage,
  type ProgressPaging,
  type ProgressRow,
} from './progress-row';
import { countedProgress, countWhere } from './counted-progress.query';
import type { ReadModel } from './read-model';

type SupplierGrouping = 'supplier' | 'supplier-project';

/** Where each grouping's key is, on a supplier project's counter row and on an instance row. */
const KEYS: Record<SupplierGrouping, { counters: string; instances: string }> = {
  supplier: { counters: 'spp.supplier_id', instances: 'i.supplier_id' },
  'supplier-project': { counters: 'spp.id', instances: 'i.supplier_project_id' },
};

/**
 * Progress per supplier or supplier project, one page of keys at a time (thousands of them):
 * the page's keys from the supplier projects' counter rows in key order, their counts by status
 * from the same rows, and their overdue and due soon from their open instances due by the end
 * of the window (an index range per key). A section or category filter, which those counters do
 * not split by, counts the page's instance rows instead.
 */
export async function supplierCounters(
  model: ReadModel,
  by: SupplierGrouping,
  filters: DashboardFilters,
  window: DueWindow,
  paging?: ProgressPaging,
): Promise<ProgressPage> {
  if (paging === undefined) return pageOf(by, await countedProgress(model, by, filters, window));
  const keys = KEYS[by];
  const k = model.knex;
  const keyQuery = model
    .view('supplier_project_progress', 'spp')
    .where('spp.total', '>', 0)
    .groupBy(keys.counters)
    .select(k.raw('?? AS key', [keys.counters]))
    .orderBy(keys.counters)
    .limit(paging.limit + 1);
  if (filters.projectId !== undefined) keyQuery.where('spp.project_id', filters.projectId);
  if (paging.cursor !== undefined) keyQuery.where(keys.counters, '>', paging.cursor.id);
  const bySectionOrCategory = filters.sectionId !== undefined || filters.category !== undefined;
  // Without a section or category the page's keys are a subquery: one round trip for the page.
  const found = bySectionOrCategory
    ? await countedInstances(
        model,
        by,
        filters,
        window,
        (await model.rows<{ key: string }>(keyQuery)).map((r) => r.key),
      )
    : await counted(model, by, filters, window, keyQuery);
  const rows = found
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, paging.limit);
  const nextCursor =
    found.length > paging.limit ? encodeCursor({ k: null, id: rows.at(-1)!.key }) : null;
  return { rows, nextCursor };
}

/** A query as a binding of a raw clause (knex types take builders there only as raw). */
const asRaw = (k: Knex, query: Knex.QueryBuilder): Knex.Raw => {
  const { sql, bindings } = query.toSQL();
  return k.raw(sql, bindings);
};

/**
 * The label of each key of `pk`, a lookup per key: joined instead, PostgreSQL hashes every
 * supplier to label a page of them.
 */
function labelOf(model: ReadModel, by: SupplierGrouping): Knex.QueryBuilder {
  const k = model.knex;
  if (by === 'supplier')
    return model.view('suppliers', 's').where('s.id', k.ref('pk.key')).select('s.name');
  const name = (relation: string, id: string) =>
    model.view(relation, 'n').where('n.id', k.ref(id)).select('n.name');
  return model
    .view('supplier_projects', 'sp')
    .where('sp.id', k.ref('pk.key'))
    .select(
      k.raw("concat_ws(' / ', (?), (?))", [
        asRaw(k, name('suppliers', 'sp.supplier_id')),
        asRaw(k, name('projects', 'sp.project_id')),
      ]),
    );
}

/**
 * The page's counts by status and its open instances due in the window, each summed per key
 * of the page (a lateral subquery: an index range per key, where a join of the page to the
 * counters had PostgreSQL scan all of them).
 */
async function counted(
  model: ReadModel,
  by: SupplierGrouping,
  filters: DashboardFilters,
  window: DueWindow,
  page: Knex.QueryBuilder,
): Promise<ProgressRow[]> {
  const keys = KEYS[by];
  const k = model.knex;
  const statuses = model
    .view('supplier_project_progress', 'spp')
    .where(keys.counters, k.ref('pk.key'))
    .where('spp.total', '>', 0)
    .select(
      k.raw('sum(spp.total)::int AS total'),
      k.raw('sum(spp.not_started)::int AS "notStarted"'),
      k.raw('sum(spp.in_progress)::int AS "inProgress"'),
      k.raw('sum(spp.completed)::int AS completed'),
    );
  const due = model
    .view('task_instances', 'i')
    .where(keys.instances, k.ref('pk.key'))
    .where('i.is_open', true)
    .where('i.due_date_key', '<=', window.until)
    .select(
      k.raw('count(*) FILTER (WHERE i.due_date_key < ?)::int AS overdue', [window.asOf]),
      k.raw('count(*) FILTER (WHERE i.due_date_key >= ?)::int AS "dueSoon"', [window.asOf]),
    );
  if (filters.projectId !== undefined) {
    statuses.where('spp.project_id', filters.projectId);
    due.where('i.project_id', filters.projectId);
  }
  const counts = k
    .from(page.as('pk'))
    .joinRaw('CROSS JOIN LATERAL (?) AS st', [asRaw(k, statuses)])
    .joinRaw('CROSS JOIN LATERAL (?) AS du', [asRaw(k, due)])
    .select(
      'pk.key',
      labelOf(model, by).as('label'),
      ...['total', 'notStarted', 'inProgress', 'completed'].map((c) => `st.${c}`),
      ...['overdue', 'dueSoon'].map((c) => `du.${c}`),
    );
  return (await model.rows<Counted>(counts)).map(progressRowOf);
}

/**
 * A page's progress within a section or a category, which the supplier projects' counters do
 * not split by: its keys' instance rows counted, each under the task its counters are kept
 * under (so the numbers agree with progress by section), with the effective due date and
 * whether it is open read from the row rather than through its template.
 */
async function countedInstances(
  model: ReadModel,
  by: SupplierGrouping,
  filters: DashboardFilters,
  window: DueWindow,
  page: string[],
): Promise<ProgressRow[]> {
  const keys = KEYS[by];
  const k = model.knex;
  const count = countWhere(k);
  const counts = model
    .view('task_instances', 'i')
    .join(model.relation('tasks', 'k'), 'k.id', 'i.counted_task_id')
    .leftJoin(model.relation('task_types', 'tt'), 'tt.id', 'k.task_type_id')
    .whereIn(keys.instances, page)
    .groupBy(keys.instances)
    .select(
      k.raw('?? AS key', [keys.instances]),
      k.raw('count(*)::int AS total'),
      count('notStarted', 'i.status = ?', ['NOT_STARTED']),
      count('inProgress', 'i.status = ?', ['IN_PROGRESS']),
      count('completed', 'i.status = ?', ['COMPLETED']),
      count('overdue', 'i.is_open AND i.due_date_key < ?', [window.asOf]),
      count('dueSoon', 'i.is_open AND i.due_date_key BETWEEN ? AND ?', [window.asOf, window.until]),
    );
  if (filters.projectId !== undefined) counts.where('i.project_id', filters.projectId);
  if (filters.sectionId !== undefined) counts.where('k.section_id', filters.sectionId);
  if (filters.category !== undefined) counts.where('tt.category', filters.category);
  const labelled = k
    .from(counts.as('pk'))
    .select(
      ...['key', 'total', 'notStarted', 'inProgress', 'completed', 'overdue', 'dueSoon'].map(
        (c) => `pk.${c}`,
      ),
      labelOf(model, by).as('label'),
    );
  return (await model.rows<Counted>(labelled)).map(progressRowOf);
}

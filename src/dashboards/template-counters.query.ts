import type { Knex } from 'knex';
import type { DashboardFilters } from './dashboard-params';
import type { DueWindow } from './due-window';
import { progressRowOf, type Counted, type ProgressRow } from './progress-row';
import type { ReadModel } from './read-model';

/**
 * The live version's counters per template, `tp`, with what groups them: `t` the template (its
 * current due date), `k` its task (its current section), `tt` the task's type (its category).
 * Filters on project, section and category compose onto it; a supplier filter cannot (the
 * counters span every supplier of the template).
 */
export function templateScope(
  model: ReadModel,
  filters: Omit<DashboardFilters, 'supplierId'>,
): Knex.QueryBuilder {
  const query = model
    .view('template_progress', 'tp')
    .leftJoin(model.relation('templates', 't'), 't.id', 'tp.id')
    .leftJoin(model.relation('tasks', 'k'), 'k.id', 'tp.task_id')
    .leftJoin(model.relation('task_types', 'tt'), 'tt.id', 'k.task_type_id');
  if (filters.projectId !== undefined) query.where('tp.project_id', filters.projectId);
  if (filters.sectionId !== undefined) query.where('k.section_id', filters.sectionId);
  if (filters.category !== undefined) query.where('tt.category', filters.category);
  return query;
}

type TemplateGrouping = 'project' | 'section' | 'category';

const GROUPINGS: Record<
  TemplateGrouping,
  { key: string; label: string; join(q: Knex.QueryBuilder, m: ReadModel): Knex.QueryBuilder }
> = {
  project: {
    key: 'tp.project_id',
    label: 'p.name',
    join: (q, m) => q.leftJoin(m.relation('projects', 'p'), 'p.id', 'tp.project_id'),
  },
  section: {
    key: 'k.section_id',
    label: 'sec.name',
    join: (q, m) => q.leftJoin(m.relation('sections', 'sec'), 'sec.id', 'k.section_id'),
  },
  category: { key: 'tt.category', label: 'tt.category', join: (q) => q },
};

/**
 * Progress per project, section or category from the counters per template: a GROUP BY over
 * template rows, however many instances they count. Overdue and due soon compare each
 * template's current due date, and each override date its open instances are counted under,
 * with the window: today moves, the counters do not.
 */
export async function templateCounters(
  model: ReadModel,
  by: TemplateGrouping,
  filters: Omit<DashboardFilters, 'supplierId'>,
  window: DueWindow,
): Promise<ProgressRow[]> {
  const k = model.knex;
  const { asOf, until } = window;
  const overrides = model
    .view('override_open_counts', 'oc')
    .where('oc.due_date', '<=', until)
    .groupBy('oc.template_id')
    .select(
      'oc.template_id',
      k.raw('sum(oc.open) FILTER (WHERE oc.due_date < ?) AS overdue', [asOf]),
      k.raw('sum(oc.open) FILTER (WHERE oc.due_date >= ?) AS due_soon', [asOf]),
    )
    .as('o');
  const grouping = GROUPINGS[by];
  const query = grouping
    .join(templateScope(model, filters), model)
    .leftJoin(overrides, 'o.template_id', 'tp.id')
    .where('tp.total', '>', 0)
    .whereNotNull(grouping.key)
    .groupBy(grouping.key)
    .select(
      k.raw('?? AS key', [grouping.key]),
      k.raw(`max(${grouping.label}) AS label`),
      k.raw('sum(tp.total)::int AS total'),
      k.raw('sum(tp.not_started)::int AS "notStarted"'),
      k.raw('sum(tp.in_progress)::int AS "inProgress"'),
      k.raw('sum(tp.completed)::int AS completed'),
      k.raw(
        `(sum(CASE WHEN t.due_date < ? THEN tp.open_on_template_date ELSE 0 END)
          + coalesce(sum(o.overdue), 0))::int AS overdue`,
        [asOf],
      ),
      k.raw(
        `(sum(CASE WHEN t.due_date BETWEEN ? AND ? THEN tp.open_on_template_date ELSE 0 END)
          + coalesce(sum(o.due_soon), 0))::int AS "dueSoon"`,
        [asOf, until],
      ),
    );
  return (await model.rows<Counted>(query)).map(progressRowOf);
}

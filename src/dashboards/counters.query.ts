import type { Knex } from 'knex';
import type { DashboardFilters } from './dashboard-params';
import type { DueWindow } from './due-window';
import { progressRowOf, type Counted, type ProgressRow } from './progress-row';
import type { ReadModel } from './read-model';

/**
 * The live version's counters per template, `tp`, with what groups them: `k` its task (its
 * current section), `tt` the task's type (its category). Filters on project, section and
 * category compose onto it; a supplier filter cannot (the counters span every supplier).
 */
export function templateScope(
  model: ReadModel,
  filters: Omit<DashboardFilters, 'supplierId'>,
): Knex.QueryBuilder {
  const query = model
    .view('template_progress', 'tp')
    .leftJoin(model.relation('tasks', 'k'), 'k.id', 'tp.task_id')
    .leftJoin(model.relation('task_types', 'tt'), 'tt.id', 'k.task_type_id');
  if (filters.projectId !== undefined) query.where('tp.project_id', filters.projectId);
  if (filters.sectionId !== undefined) query.where('k.section_id', filters.sectionId);
  if (filters.category !== undefined) query.where('tt.category', filters.category);
  return query;
}

/**
 * Which counters answer a question: the fewest rows that still split by what it groups and
 * filters by. Per project when neither a section nor a category matters; per task when no
 * project does (a section or a category is its tasks, joined at read time); per project and
 * task type when a category does but no section (versions that keep them: `perTaskType`); per
 * template, the finest, otherwise (one project's templates, or one section's across projects).
 */
export type CounterLevel = 'project' | 'task' | 'project_task_type' | 'template';

export function levelFor(
  by: 'project' | 'section' | 'category' | 'weeks',
  filters: Omit<DashboardFilters, 'supplierId'>,
  perTaskType = false,
): CounterLevel {
  const bySection = by === 'section' || filters.sectionId !== undefined;
  const byCategory = by === 'category' || filters.category !== undefined;
  const byProject = by === 'project' || filters.projectId !== undefined;
  if (!bySection && !byCategory) return 'project';
  if (!byProject) return 'task';
  if (!bySection && perTaskType) return 'project_task_type';
  return 'template';
}

/** Where a counter row of a level keeps its project, task and task type (NULL: not split by it). */
const SPLITS: Record<CounterLevel, { project: string; task: string; taskType: string }> = {
  project: { project: 'x.scope_id', task: 'NULL', taskType: 'NULL' },
  task: { project: 'NULL', task: 'x.scope_id', taskType: 'NULL' },
  // Its scope is `project|task type`; ids hold no `|`.
  project_task_type: {
    project: "split_part(x.scope_id, '|', 1)",
    task: 'NULL',
    taskType: "split_part(x.scope_id, '|', 2)",
  },
  template: { project: 'x.project_id', task: 'x.task_id', taskType: 'NULL' },
};

/**
 * The counter rows of a level as `c`, with `c.scope` the id the open-instance counts are kept
 * under and the columns that group and filter (`c.project_id`, `k` its task, `tt` its task
 * type: the counter row's own, else its task's).
 */
export function counterScope(
  model: ReadModel,
  level: CounterLevel,
  filters: Omit<DashboardFilters, 'supplierId'>,
): Knex.QueryBuilder {
  const k = model.knex;
  const split = SPLITS[level];
  const counters = (
    level === 'template'
      ? model.view('template_progress', 'x').select({ scope: 'x.id' })
      : model.view('scope_progress', 'x').where('x.kind', level).select({ scope: 'x.scope_id' })
  ).select(
    k.raw(`${split.project} AS project_id`),
    k.raw(`${split.task} AS task_id`),
    k.raw(`${split.taskType} AS task_type_id`),
    'x.total',
    'x.not_started',
    'x.in_progress',
    'x.completed',
  );
  const query = k
    .from(counters.as('c'))
    .leftJoin(model.relation('tasks', 'k'), 'k.id', 'c.task_id')
    .leftJoin(
      model.relation('task_types', 'tt'),
      'tt.id',
      k.raw('coalesce(c.task_type_id, k.task_type_id)'),
    );
  if (filters.projectId !== undefined) query.where('c.project_id', filters.projectId);
  if (filters.sectionId !== undefined) query.where('k.section_id', filters.sectionId);
  if (filters.category !== undefined) query.where('tt.category', filters.category);
  return query;
}

/** The open-instance counts of the scopes in `scope` due by `until`, per due date, as `b`. */
export const openByDueDate = (
  model: ReadModel,
  scope: Knex.QueryBuilder,
  level: CounterLevel,
  until?: string,
) => {
  const query = scope.join(model.relation('open_by_due_date', 'b'), (on) =>
    on.on('b.scope_id', 'c.scope').andOn('b.kind', model.knex.raw('?', [level])),
  );
  if (until !== undefined) query.where('b.due_date', '<=', until);
  return query;
};

/**
 * What each grouping groups the counter rows by, and where its rows' names come from: read for
 * the grouped rows (a hundred projects), not for every counter row (ten thousand templates).
 */
const GROUPINGS = {
  project: {
    key: 'c.project_id',
    label: (q: Knex.QueryBuilder, m: ReadModel) =>
      q.leftJoin(m.relation('projects', 'p'), 'p.id', 'g.key').select('p.name AS label'),
  },
  section: {
    key: 'k.section_id',
    label: (q: Knex.QueryBuilder, m: ReadModel) =>
      q.leftJoin(m.relation('sections', 'sec'), 'sec.id', 'g.key').select('sec.name AS label'),
  },
  category: {
    key: 'tt.category',
    label: (q: Knex.QueryBuilder) => q.select('g.key AS label'),
  },
};

/**
 * The open-instance counts per scope of a level that fall in the window, as `b` with
 * `b.scope_id`, `b.overdue` and `b.due_soon`: aggregated by scope before any join, so the
 * join meets one row per counter row however many due dates a scope has. With a project
 * filter only that project's scopes are read (an index range each, rather than every scope's
 * counts in the window); a section or category filter, which most scopes may pass, is left to
 * the join.
 */
const dueByScope = (
  model: ReadModel,
  level: CounterLevel,
  filters: Omit<DashboardFilters, 'supplierId'>,
  window: DueWindow,
) => {
  const query = model
    .view('open_by_due_date', 'o')
    .where('o.kind', level)
    .where('o.due_date', '<=', window.until)
    .groupBy('o.scope_id')
    .select(
      'o.scope_id',
      model.knex.raw('sum(o.open) FILTER (WHERE o.due_date < ?) AS overdue', [window.asOf]),
      model.knex.raw('sum(o.open) FILTER (WHERE o.due_date >= ?) AS due_soon', [window.asOf]),
    );
  if (filters.projectId !== undefined)
    query.whereIn('o.scope_id', counterScope(model, level, filters).select('c.scope'));
  return query.as('b');
};

/**
 * Progress per project, section or category from the counters, in one query: counts by status
 * summed over the level's rows, and overdue and due soon summed over their open instances' due
 * dates up to the end of the window, compared with it at read time (today moves, the counters
 * do not).
 */
export async function counterProgress(
  model: ReadModel,
  by: 'project' | 'section' | 'category',
  filters: Omit<DashboardFilters, 'supplierId'>,
  window: DueWindow,
  perTaskType: boolean,
): Promise<ProgressRow[]> {
  const k = model.knex;
  const level = levelFor(by, filters, perTaskType);
  const grouping = GROUPINGS[by];
  const totals = counterScope(model, level, filters)
    .leftJoin(dueByScope(model, level, filters, window), 'b.scope_id', 'c.scope')
    .where('c.total', '>', 0)
    .whereNotNull(grouping.key)
    .groupBy(grouping.key)
    .select(
      k.raw('?? AS key', [grouping.key]),
      k.raw('sum(c.total)::int AS total'),
      k.raw('sum(c.not_started)::int AS "notStarted"'),
      k.raw('sum(c.in_progress)::int AS "inProgress"'),
      k.raw('sum(c.completed)::int AS completed'),
      k.raw('coalesce(sum(b.overdue), 0)::int AS overdue'),
      k.raw('coalesce(sum(b.due_soon), 0)::int AS "dueSoon"'),
    );
  const query = grouping.label(k.from(totals.as('g')).select('g.*'), model);
  return (await model.rows<Counted>(query)).map(progressRowOf);
}

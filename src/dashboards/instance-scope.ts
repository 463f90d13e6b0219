import type { Knex } from 'knex';
import type { DashboardFilters, InstanceState } from './dashboard-params';
import type { DueWindow } from './due-window';
import type { ReadModel } from './read-model';

/**
 * The task instances as the dashboards define them, `d` with `tt` its task type: the due date is
 * the override, else the template's current one; the section the task's current one; the
 * category the task type's. Filters compose onto it.
 */
export function instanceScope(model: ReadModel, filters: DashboardFilters): Knex.QueryBuilder {
  const query = model
    .view('task_instance_details', 'd')
    .leftJoin(model.relation('task_types', 'tt'), 'tt.id', 'd.task_type_id');
  if (filters.supplierId !== undefined) query.where('d.supplier_id', filters.supplierId);
  if (filters.projectId !== undefined) query.where('d.project_id', filters.projectId);
  if (filters.sectionId !== undefined) query.where('d.section_id', filters.sectionId);
  if (filters.category !== undefined) query.where('tt.category', filters.category);
  return query;
}

const ACTIVE = (q: Knex.QueryBuilder) => q.whereNot('d.status', 'COMPLETED');

/** Narrows the scope to one state of the definitions (active = not COMPLETED, …). */
export function whereState(query: Knex.QueryBuilder, state: InstanceState, window: DueWindow) {
  switch (state) {
    case 'all':
      return query;
    case 'active':
      return ACTIVE(query);
    case 'completed':
      return query.where('d.status', 'COMPLETED');
    case 'overdue':
      return ACTIVE(query).where('d.due_date', '<', window.asOf);
    case 'due-soon':
      return ACTIVE(query).whereBetween('d.due_date', [window.asOf, window.until]);
    default: {
      const unknown: never = state;
      throw new Error(`unknown state ${String(unknown)}`);
    }
  }
}

export type { InstanceItem, InstancesPage, InstancesQuery } from './instance-item';
import type { Knex } from 'knex';
import type { DueWindow } from './due-window';
import { indexedInstances } from './indexed-instances.query';
import { instanceScope, whereState } from './instance-scope';
import type { InstanceItem, InstancesPage, InstancesQuery } from './instance-item';
import { encodeCursor, type Cursor } from './keyset-cursor';
import type { ReadModel } from './read-model';

export const INSTANCE_COLUMNS = {
  id: 'd.id',
  supplierId: 'd.supplier_id',
  projectId: 'd.project_id',
  templateId: 'd.template_id',
  taskId: 'd.task_id',
  sectionId: 'd.section_id',
  category: 'tt.category',
  status: 'd.status',
  dueDate: 'd.due_date',
  dueDateOverridden: 'd.due_date_overridden',
  notes: 'd.notes_count',
} as const;

/** After the cursor in the order (due date, id) with no due date last. */
function after(query: Knex.QueryBuilder, cursor: Cursor): Knex.QueryBuilder {
  if (cursor.k === null) return query.whereNull('d.due_date').where('d.id', '>', cursor.id);
  const dueDate = cursor.k;
  return query.where((q) =>
    q
      .where('d.due_date', '>', dueDate)
      .orWhere((same) => same.where('d.due_date', dueDate).where('d.id', '>', cursor.id))
      .orWhereNull('d.due_date'),
  );
}

/**
 * One page of instances in one state, ordered by (due date, id), those with no due date last:
 * index ranges when the live version keeps the due dates on the instance rows, else the view.
 */
export async function instances(
  model: ReadModel,
  params: InstancesQuery,
  window: DueWindow,
): Promise<InstancesPage> {
  if (await model.keepsCounters()) return indexedInstances(model, params, window);
  let query = whereState(instanceScope(model, params), params.state, window);
  if (params.status !== undefined) query = query.where('d.status', params.status);
  if (params.cursor !== undefined) query = after(query, params.cursor);
  query = query
    .select(INSTANCE_COLUMNS)
    .orderBy([
      { column: 'd.due_date', order: 'asc', nulls: 'last' },
      { column: 'd.id', order: 'asc' },
    ])
    .limit(params.limit + 1);
  const rows = await model.rows<InstanceItem>(query);
  const items = rows.slice(0, params.limit).map((r) => ({ ...r, notes: Number(r.notes) }));
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > params.limit && last ? encodeCursor({ k: last.dueDate, id: last.id }) : null,
  };
}

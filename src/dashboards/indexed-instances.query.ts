import type { Knex } from 'knex';
import type { InstanceState } from './dashboard-params';
import type { DueWindow } from './due-window';
import {
  NO_DUE_DATE,
  type InstanceItem,
  type InstancesPage,
  type InstancesQuery,
} from './instance-item';
import { encodeCursor } from './keyset-cursor';
import type { ReadModel } from './read-model';
import { templateScope } from './counters.query';

/** The keyset order: the due-date key sorts instances without a due date last. */
const ORDER = [
  { column: 'i.due_date_key', order: 'asc' },
  { column: 'i.id', order: 'asc' },
];

/** Whether the instances of a state are open (not COMPLETED), closed or either. */
function openness(state: InstanceState): boolean[] {
  switch (state) {
    case 'all':
      return [true, false];
    case 'completed':
      return [false];
    case 'active':
    case 'overdue':
    case 'due-soon':
      return [true];
    default: {
      const unknown: never = state;
      throw new Error(`unknown state ${String(unknown)}`);
    }
  }
}

/**
 * One page of instances from a live version that keeps each instance's effective due date on
 * its row: per open-or-not, one range of an index (open, [supplier | project,] due-date key,
 * id) read in order after the cursor, so a page costs `limit` index entries however many
 * instances match. A section or category filter is the set of templates it holds; "all" merges
 * the open and the closed range.
 */
export async function indexedInstances(
  model: ReadModel,
  params: InstancesQuery,
  window: DueWindow,
): Promise<InstancesPage> {
  const k = model.knex;
  const opens = openness(params.state).filter(
    (open) => params.status === undefined || open === (params.status !== 'COMPLETED'),
  );
  if (opens.length === 0) return { items: [], nextCursor: null };
  const range = (open: boolean) => {
    const q = model.view('task_instances', 'i').where('i.is_open', open);
    if (params.supplierId !== undefined) q.where('i.supplier_id', params.supplierId);
    if (params.projectId !== undefined) q.where('i.project_id', params.projectId);
    if (params.sectionId !== undefined || params.category !== undefined)
      q.whereIn(
        'i.template_id',
        templateScope(model, { sectionId: params.sectionId, category: params.category }).select(
          'tp.id',
        ),
      );
    if (params.status !== undefined) q.where('i.status', params.status);
    if (params.state === 'overdue') q.where('i.due_date_key', '<', window.asOf);
    if (params.state === 'due-soon') q.whereBetween('i.due_date_key', [window.asOf, window.until]);
    if (params.cursor !== undefined)
      q.whereRaw('(??, ??) > (?, ?)', [
        'i.due_date_key',
        'i.id',
        params.cursor.k ?? NO_DUE_DATE,
        params.cursor.id,
      ]);
    return q
      .select('i.*')
      .orderBy(ORDER)
      .limit(params.limit + 1);
  };
  const ranges = opens.map(range);
  const paged: Knex.QueryBuilder =
    ranges.length === 1
      ? ranges[0]!
      : k
          .select('*')
          .from(k.raw(`(${ranges.map(() => '(?)').join(' UNION ALL ')}) AS u`, ranges))
          .orderBy([
            { column: 'due_date_key', order: 'asc' },
            { column: 'id', order: 'asc' },
          ])
          .limit(params.limit + 1);
  const query = k
    .from(paged.as('i'))
    .leftJoin(model.relation('templates', 't'), 't.id', 'i.template_id')
    .leftJoin(model.relation('tasks', 'tk'), 'tk.id', k.raw('coalesce(i.task_id, t.task_id)'))
    .leftJoin(model.relation('task_types', 'tt'), 'tt.id', 'tk.task_type_id')
    .select({
      id: 'i.id',
      supplierId: 'i.supplier_id',
      projectId: 'i.project_id',
      templateId: 'i.template_id',
      taskId: k.raw('coalesce(i.task_id, t.task_id)'),
      sectionId: 'tk.section_id',
      category: 'tt.category',
      status: 'i.status',
      dueDate: k.raw('nullif(i.due_date_key, ?)', [NO_DUE_DATE]),
      dueDateOverridden: k.raw('i.due_date_override IS NOT NULL'),
      notes: 'i.notes_count',
    })
    .orderBy(ORDER);
  const rows = await model.rows<InstanceItem>(query);
  const items = rows.slice(0, params.limit).map((r) => ({ ...r, notes: Number(r.notes) }));
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > params.limit && last ? encodeCursor({ k: last.dueDate, id: last.id }) : null,
  };
}

import type { Knex } from 'knex';
import type { ListParams } from './dashboard-params';
import { INSTANCE_COLUMNS, type InstanceItem } from './instances.query';
import { encodeCursor } from './keyset-cursor';
import type { ReadModel } from './read-model';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Keyset paging by (sortColumn, id): one extra row says whether a next page exists. */
async function page<T extends { id: string }>(
  model: ReadModel,
  query: Knex.QueryBuilder,
  sortColumn: keyof T & string,
  params: ListParams,
): Promise<Page<T>> {
  const { cursor } = params;
  if (cursor !== undefined) {
    const sortKey = cursor.k ?? '';
    query.where((q) =>
      q
        .where(sortColumn, '>', sortKey)
        .orWhere((same) => same.where(sortColumn, sortKey).where('id', '>', cursor.id)),
    );
  }
  const rows = await model.rows<T>(
    query.orderBy([{ column: sortColumn }, { column: 'id' }]).limit(params.limit + 1),
  );
  const items = rows.slice(0, params.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > params.limit && last
        ? encodeCursor({ k: String(last[sortColumn]), id: last.id })
        : null,
  };
}

export interface SupplierEntry {
  id: string;
  code: string;
  name: string;
}
export type ProjectEntry = SupplierEntry;

export const suppliers = (model: ReadModel, params: ListParams) =>
  page<SupplierEntry>(
    model,
    model.view('suppliers', 's').select('id', 'code', 'name'),
    'code',
    params,
  );

export const projects = (model: ReadModel, params: ListParams) =>
  page<ProjectEntry>(
    model,
    model.view('projects', 'p').select('id', 'code', 'name'),
    'code',
    params,
  );

export interface TaskNode {
  id: string;
  title: string;
  sortOrder: number;
  subTasks: TaskNode[];
}
export interface SectionNode {
  id: string;
  code: string;
  name: string;
  sortOrder: number;
  tasks: TaskNode[];
}
export interface TaskTypeTree {
  id: string;
  name: string;
  category: string | null;
  sections: SectionNode[];
}

interface TaskRow {
  id: string;
  section_id: string;
  parent_task_id: string | null;
  title: string;
  sort_order: number;
}
interface SectionRow {
  id: string;
  task_type_id: string;
  code: string;
  name: string;
  sort_order: number;
}

const bySortOrder = <T extends { sortOrder: number; id: string }>(a: T, b: T) =>
  a.sortOrder - b.sortOrder || a.id.localeCompare(b.id);

/** A page of task types by name, each with its sections and their tasks, sub-tasks under their parent. */
export async function taskTypes(model: ReadModel, params: ListParams): Promise<Page<TaskTypeTree>> {
  const types = await page<Omit<TaskTypeTree, 'sections'>>(
    model,
    model.view('task_types', 'tt').select('id', 'name', 'category'),
    'name',
    params,
  );
  const ids = types.items.map((t) => t.id);
  const [sections, tasks] = await Promise.all([
    model.rows<SectionRow>(
      model
        .view('sections', 'sec')
        .whereIn('task_type_id', ids)
        .select('id', 'task_type_id', 'code', 'name', 'sort_order'),
    ),
    model.rows<TaskRow>(
      model
        .view('tasks', 'k')
        .whereIn('task_type_id', ids)
        .select('id', 'section_id', 'parent_task_id', 'title', 'sort_order'),
    ),
  ]);
  const node = (t: TaskRow): TaskNode => ({
    id: t.id,
    title: t.title,
    sortOrder: Number(t.sort_order),
    subTasks: tasks
      .filter((s) => s.parent_task_id === t.id)
      .map(node)
      .sort(bySortOrder),
  });
  const sectionNode = (s: SectionRow): SectionNode => ({
    id: s.id,
    code: s.code,
    name: s.name,
    sortOrder: Number(s.sort_order),
    tasks: tasks
      .filter((t) => t.section_id === s.id && t.parent_task_id === null)
      .map(node)
      .sort(bySortOrder),
  });
  return {
    items: types.items.map((t) => ({
      ...t,
      sections: sections
        .filter((s) => s.task_type_id === t.id)
        .map(sectionNode)
        .sort(bySortOrder),
    })),
    nextCursor: types.nextCursor,
  };
}

export interface Note {
  id: string;
  text: string;
  author: string;
  occurredAt: string;
}
export interface StatusChange {
  id: string;
  from: string;
  to: string;
  occurredAt: string;
}

/** An instance as listed, with its notes themselves (oldest first) and its status history. */
export interface InstanceDetail extends Omit<InstanceItem, 'notes'> {
  supplierProjectId: string;
  templateDueDate: string | null;
  createdAt: string;
  completedAt: string | null;
  notes: Note[];
  statusHistory: StatusChange[];
}

/** One instance with its notes and status history, oldest first; undefined when there is none. */
export async function instanceDetail(
  model: ReadModel,
  id: string,
): Promise<InstanceDetail | undefined> {
  const { notes: _count, ...columns } = INSTANCE_COLUMNS;
  const [instance] = await model.rows<Omit<InstanceDetail, 'notes' | 'statusHistory'>>(
    model
      .view('task_instance_details', 'd')
      .leftJoin(model.relation('task_types', 'tt'), 'tt.id', 'd.task_type_id')
      .where('d.id', id)
      .select({
        ...columns,
        supplierProjectId: 'd.supplier_project_id',
        templateDueDate: 'd.template_due_date',
        createdAt: 'd.created_at',
        completedAt: 'd.completed_at',
      }),
  );
  if (instance === undefined) return undefined;
  const [notes, statusHistory] = await Promise.all([
    model.rows<Note>(
      model
        .view('notes', 'n')
        .where('task_instance_id', id)
        .select('id', 'text', 'author', { occurredAt: 'occurred_at' })
        .orderBy([{ column: 'occurred_at' }, { column: 'id' }]),
    ),
    model.rows<StatusChange>(
      model
        .view('status_history', 'h')
        .where('task_instance_id', id)
        .select('id', { from: 'from_status', to: 'to_status', occurredAt: 'occurred_at' })
        .orderBy([{ column: 'occurred_at' }, { column: 'id' }]),
    ),
  ]);
  return { ...instance, notes, statusHistory };
}

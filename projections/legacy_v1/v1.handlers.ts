import type { z } from 'zod';
import type { ProjectionEvent, RowRef, Rows } from '../projection-definition';
import { V1DataSchemas, type V1EventType } from './v1.events';

type V1Data<T extends V1EventType> = z.infer<(typeof V1DataSchemas)[T]>;

/** What legacy_v1 does with one raw V1 event type, its payload parsed against the frozen contract. */
interface V1Handler<T extends V1EventType> {
  reads?: (data: V1Data<T>) => RowRef[];
  apply: (data: V1Data<T>, rows: Rows) => void;
}

/** One entry per V1 type: a handler, or `'ignored'` on purpose; a missing type does not compile. */
type V1Handlers = { [T in V1EventType]: V1Handler<T> | 'ignored' };

const instance = (id: string): RowRef[] => [{ table: 'supplier_task_instances', id }];

/**
 * The legacy portal's own meaning of its events, read raw: milestones, tasks in milestones,
 * project milestone tasks, instances pointing at them. No upcaster is involved.
 */
const handlers: V1Handlers = {
  // V1 readers were never given suppliers, projects or task types of their own: no table holds them.
  SupplierRegistered: 'ignored',
  SupplierRenamed: 'ignored',
  ProjectCreated: 'ignored',
  TaskTypeCreated: 'ignored',
  MilestoneCreated: {
    apply: (d, rows) =>
      rows.put('milestones', {
        id: d.milestoneId,
        task_type_id: d.taskTypeId,
        code: d.code,
        name: d.name,
        sort_order: d.sortOrder,
      }),
  },
  MilestoneRenamed: {
    reads: (d) => [{ table: 'milestones', id: d.milestoneId }],
    apply: (d, rows) => rows.update('milestones', d.milestoneId, { name: d.name }),
  },
  MilestoneDeleted: { apply: (d, rows) => rows.delete('milestones', d.milestoneId) },
  TaskCreated: {
    apply: (d, rows) =>
      rows.put('tasks', {
        id: d.taskId,
        task_type_id: d.taskTypeId,
        milestone_id: d.milestoneId,
        title: d.title,
        sort_order: d.sortOrder,
      }),
  },
  TaskRenamed: {
    reads: (d) => [{ table: 'tasks', id: d.taskId }],
    apply: (d, rows) => rows.update('tasks', d.taskId, { title: d.title }),
  },
  TaskMovedToMilestone: {
    reads: (d) => [{ table: 'tasks', id: d.taskId }],
    apply: (d, rows) => rows.update('tasks', d.taskId, { milestone_id: d.toMilestoneId }),
  },
  ProjectMilestoneTaskCreated: {
    apply: (d, rows) =>
      rows.put('project_milestone_tasks', {
        id: d.projectMilestoneTaskId,
        project_id: d.projectId,
        milestone_id: d.milestoneId,
        task_id: d.taskId,
        due_date: d.dueDate,
      }),
  },
  ProjectMilestoneTaskDueDateChanged: {
    reads: (d) => [{ table: 'project_milestone_tasks', id: d.projectMilestoneTaskId }],
    apply: (d, rows) =>
      rows.update('project_milestone_tasks', d.projectMilestoneTaskId, { due_date: d.dueDate }),
  },
  ProjectMilestoneTaskRemoved: {
    apply: (d, rows) => rows.delete('project_milestone_tasks', d.projectMilestoneTaskId),
  },
  SupplierProjectInstanceCreated: {
    apply: (d, rows) =>
      rows.put('supplier_project_instances', {
        id: d.supplierProjectInstanceId,
        supplier_id: d.supplierId,
        project_id: d.projectId,
      }),
  },
  SupplierTaskInstanceCreated: {
    reads: (d) => [{ table: 'supplier_project_instances', id: d.supplierProjectInstanceId }],
    apply: (d, rows) => {
      const owner = rows.get('supplier_project_instances', d.supplierProjectInstanceId);
      if (!owner)
        throw new Error(`supplier project instance ${d.supplierProjectInstanceId} does not exist`);
      rows.put('supplier_task_instances', {
        id: d.supplierTaskInstanceId,
        supplier_project_instance_id: d.supplierProjectInstanceId,
        supplier_id: owner.supplier_id as string,
        project_id: owner.project_id as string,
        project_milestone_task_id: d.projectMilestoneTaskId,
        status: 'NOT_STARTED',
        due_date_override: null,
        notes_count: 0,
      });
    },
  },
  SupplierTaskStatusChanged: {
    reads: (d) => instance(d.supplierTaskInstanceId),
    apply: (d, rows) =>
      rows.update('supplier_task_instances', d.supplierTaskInstanceId, { status: d.to }),
  },
  SupplierTaskDueDateOverridden: {
    reads: (d) => instance(d.supplierTaskInstanceId),
    apply: (d, rows) =>
      rows.update('supplier_task_instances', d.supplierTaskInstanceId, {
        due_date_override: d.dueDate,
      }),
  },
  SupplierTaskNoteAdded: {
    reads: (d) => instance(d.supplierTaskInstanceId),
    apply: (d, rows) => {
      const row = rows.get('supplier_task_instances', d.supplierTaskInstanceId);
      if (!row)
        throw new Error(`supplier task instance ${d.supplierTaskInstanceId} does not exist`);
      rows.update('supplier_task_instances', d.supplierTaskInstanceId, {
        notes_count: (row.notes_count as number) + 1,
      });
    },
  },
};

/** The payload against the frozen V1 shape; a raw event that does not match stops the projection. */
function parsed<T extends V1EventType>(type: T, event: ProjectionEvent): V1Data<T> {
  const result = V1DataSchemas[type].safeParse(event.data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(
      `${type} v1 does not match the frozen V1 contract: ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  return result.data as V1Data<T>;
}

function handlerOf<T extends V1EventType>(type: T): V1Handler<T> | undefined {
  const handler = handlers[type] as V1Handler<T> | 'ignored';
  return handler === 'ignored' ? undefined : handler;
}

/** A payload that does not parse reads nothing: `apply` then stops the projection at it, with why. */
export const v1Reads = <T extends V1EventType>(type: T, event: ProjectionEvent): RowRef[] => {
  const reads = handlerOf(type)?.reads;
  const data = reads && V1DataSchemas[type].safeParse(event.data);
  return reads && data?.success ? reads(data.data as V1Data<T>) : [];
};

export const v1Apply = (type: V1EventType, event: ProjectionEvent, rows: Rows): void => {
  const handler = handlerOf(type);
  if (handler) handler.apply(parsed(type, event), rows);
};

/** The handlers' code, so the version's fingerprint changes when any of them does. */
export const v1HandlerSource = Object.entries(handlers)
  .map(([type, h]) => (h === 'ignored' ? `${type}:ignored` : `${type}:${h.reads}:${h.apply}`))
  .join('\n');

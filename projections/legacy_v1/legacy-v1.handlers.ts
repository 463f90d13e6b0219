import type { ProjectionEvent, RowRef, Rows } from '../projection-definition';
import { dataOf } from '../v2-event-data';

/**
 * Every read path upcasts, so this projection sees V2 events only and maps them back to what
 * V1 readers know: sections are milestones, templates are project milestone tasks, and V2
 * sub-tasks are plain tasks of their section.
 */
export function legacyV1Reads(event: ProjectionEvent): RowRef[] {
  switch (event.type) {
    case 'TaskTypeSectionRenamed':
      return [{ table: 'milestones', id: dataOf(event, event.type).sectionId }];
    case 'TaskRenamed':
    case 'TaskMovedToSection':
    case 'ProjectTaskTemplateCreated':
      return [{ table: 'tasks', id: dataOf(event, event.type).taskId }];
    case 'ProjectTaskTemplateDueDateChanged':
      return [{ table: 'project_milestone_tasks', id: dataOf(event, event.type).templateId }];
    case 'SupplierTaskInstanceCreated':
      return [
        {
          table: 'supplier_project_instances',
          id: dataOf(event, event.type).supplierProjectInstanceId,
        },
      ];
    case 'SupplierTaskStatusChanged':
    case 'SupplierTaskDueDateOverridden':
    case 'SupplierTaskDueDateOverrideCleared':
    case 'SupplierTaskNoteAdded':
      return [
        { table: 'supplier_task_instances', id: dataOf(event, event.type).supplierTaskInstanceId },
      ];
    default:
      return [];
  }
}

export function legacyV1Apply(event: ProjectionEvent, rows: Rows): void {
  switch (event.type) {
    case 'TaskTypeSectionCreated': {
      const d = dataOf(event, event.type);
      return rows.put('milestones', {
        id: d.sectionId,
        task_type_id: d.taskTypeId,
        code: d.code,
        name: d.name,
        sort_order: d.sortOrder,
      });
    }
    case 'TaskTypeSectionRenamed': {
      const d = dataOf(event, event.type);
      return rows.update('milestones', d.sectionId, { name: d.name });
    }
    case 'TaskTypeSectionDeleted':
      return rows.delete('milestones', dataOf(event, event.type).sectionId);
    case 'TaskCreated': {
      const d = dataOf(event, event.type);
      return rows.put('tasks', {
        id: d.taskId,
        task_type_id: d.taskTypeId,
        milestone_id: d.sectionId,
        title: d.title,
        sort_order: d.sortOrder,
      });
    }
    case 'TaskRenamed': {
      const d = dataOf(event, event.type);
      return rows.update('tasks', d.taskId, { title: d.title });
    }
    case 'TaskMovedToSection': {
      const d = dataOf(event, event.type);
      return rows.update('tasks', d.taskId, { milestone_id: d.toSectionId });
    }
    case 'ProjectTaskTemplateCreated': {
      const d = dataOf(event, event.type);
      const milestone =
        d.legacyMilestoneId ??
        (rows.get('tasks', d.taskId)?.milestone_id as string | undefined) ??
        null;
      return rows.put('project_milestone_tasks', {
        id: d.templateId,
        project_id: d.projectId,
        milestone_id: milestone,
        task_id: d.taskId,
        due_date: d.dueDate,
      });
    }
    case 'ProjectTaskTemplateDueDateChanged': {
      const d = dataOf(event, event.type);
      return rows.update('project_milestone_tasks', d.templateId, { due_date: d.dueDate });
    }
    case 'ProjectTaskTemplateRemoved':
      return rows.delete('project_milestone_tasks', dataOf(event, event.type).templateId);
    case 'SupplierProjectInstanceCreated': {
      const d = dataOf(event, event.type);
      return rows.put('supplier_project_instances', {
        id: d.supplierProjectInstanceId,
        supplier_id: d.supplierId,
        project_id: d.projectId,
      });
    }
    case 'SupplierTaskInstanceCreated': {
      const d = dataOf(event, event.type);
      const owner = rows.get('supplier_project_instances', d.supplierProjectInstanceId);
      if (!owner)
        throw new Error(`supplier project instance ${d.supplierProjectInstanceId} does not exist`);
      return rows.put('supplier_task_instances', {
        id: d.supplierTaskInstanceId,
        supplier_project_instance_id: d.supplierProjectInstanceId,
        supplier_id: owner.supplier_id as string,
        project_id: owner.project_id as string,
        project_milestone_task_id: d.templateId,
        status: 'NOT_STARTED',
        due_date_override: null,
        notes_count: 0,
      });
    }
    case 'SupplierTaskStatusChanged': {
      const d = dataOf(event, event.type);
      return rows.update('supplier_task_instances', d.supplierTaskInstanceId, { status: d.to });
    }
    case 'SupplierTaskDueDateOverridden': {
      const d = dataOf(event, event.type);
      return rows.update('supplier_task_instances', d.supplierTaskInstanceId, {
        due_date_override: d.dueDate,
      });
    }
    case 'SupplierTaskDueDateOverrideCleared':
      return rows.update(
        'supplier_task_instances',
        dataOf(event, event.type).supplierTaskInstanceId,
        {
          due_date_override: null,
        },
      );
    case 'SupplierTaskNoteAdded': {
      const d = dataOf(event, event.type);
      const instance = rows.get('supplier_task_instances', d.supplierTaskInstanceId);
      if (!instance)
        throw new Error(`supplier task instance ${d.supplierTaskInstanceId} does not exist`);
      return rows.update('supplier_task_instances', d.supplierTaskInstanceId, {
        notes_count: (instance.notes_count as number) + 1,
      });
    }
    default:
      return;
  }
}

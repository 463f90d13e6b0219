import type { ProjectionEvent, RowRef, Rows } from '../projection-definition';
import { dataOf } from '../v2-event-data';

/** The rows a handler reads or changes: `apply` may touch no other existing row. */
export function supplierTasksReads(event: ProjectionEvent): RowRef[] {
  switch (event.type) {
    case 'SupplierRenamed':
      return [{ table: 'suppliers', id: dataOf(event, event.type).supplierId }];
    case 'ProjectRenamed':
      return [{ table: 'projects', id: dataOf(event, event.type).projectId }];
    case 'ProjectTaskTemplateDueDateChanged':
      return [{ table: 'templates', id: dataOf(event, event.type).templateId }];
    case 'TaskTypeRenamed':
    case 'TaskTypeCategoryChanged':
      return [{ table: 'task_types', id: dataOf(event, event.type).taskTypeId }];
    case 'TaskTypeSectionRenamed':
      return [{ table: 'sections', id: dataOf(event, event.type).sectionId }];
    case 'TaskRenamed':
    case 'TaskMovedToSection':
      return [{ table: 'tasks', id: dataOf(event, event.type).taskId }];
    case 'SupplierTaskInstanceCreated':
      return [
        { table: 'supplier_projects', id: dataOf(event, event.type).supplierProjectInstanceId },
      ];
    case 'SupplierTaskStatusChanged':
    case 'SupplierTaskDueDateOverridden':
    case 'SupplierTaskDueDateOverrideCleared':
    case 'SupplierTaskNoteAdded':
      return [{ table: 'task_instances', id: dataOf(event, event.type).supplierTaskInstanceId }];
    default:
      return [];
  }
}

export function supplierTasksApply(event: ProjectionEvent, rows: Rows): void {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'SupplierRegistered': {
      const d = dataOf(event, event.type);
      return rows.put('suppliers', { id: d.supplierId, code: d.code, name: d.name });
    }
    case 'SupplierRenamed': {
      const d = dataOf(event, event.type);
      return rows.update('suppliers', d.supplierId, { name: d.name });
    }
    case 'ProjectCreated': {
      const d = dataOf(event, event.type);
      return rows.put('projects', { id: d.projectId, code: d.code, name: d.name });
    }
    case 'ProjectRenamed': {
      const d = dataOf(event, event.type);
      return rows.update('projects', d.projectId, { name: d.name });
    }
    case 'ProjectTaskTemplateCreated': {
      const d = dataOf(event, event.type);
      return rows.put('templates', {
        id: d.templateId,
        project_id: d.projectId,
        task_type_id: d.taskTypeId,
        task_id: d.taskId,
        due_date: d.dueDate,
      });
    }
    case 'ProjectTaskTemplateDueDateChanged': {
      const d = dataOf(event, event.type);
      return rows.update('templates', d.templateId, { due_date: d.dueDate });
    }
    case 'ProjectTaskTemplateRemoved':
      return rows.delete('templates', dataOf(event, event.type).templateId);
    case 'TaskTypeCreated': {
      const d = dataOf(event, event.type);
      return rows.put('task_types', { id: d.taskTypeId, name: d.name, category: d.category });
    }
    case 'TaskTypeRenamed': {
      const d = dataOf(event, event.type);
      return rows.update('task_types', d.taskTypeId, { name: d.name });
    }
    case 'TaskTypeCategoryChanged': {
      const d = dataOf(event, event.type);
      return rows.update('task_types', d.taskTypeId, { category: d.category });
    }
    case 'TaskTypeSectionCreated': {
      const d = dataOf(event, event.type);
      return rows.put('sections', {
        id: d.sectionId,
        task_type_id: d.taskTypeId,
        code: d.code,
        name: d.name,
        sort_order: d.sortOrder,
      });
    }
    case 'TaskTypeSectionRenamed': {
      const d = dataOf(event, event.type);
      return rows.update('sections', d.sectionId, { name: d.name });
    }
    case 'TaskTypeSectionDeleted':
      return rows.delete('sections', dataOf(event, event.type).sectionId);
    case 'TaskCreated': {
      const d = dataOf(event, event.type);
      return rows.put('tasks', {
        id: d.taskId,
        task_type_id: d.taskTypeId,
        section_id: d.sectionId,
        parent_task_id: d.parentTaskId,
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
      return rows.update('tasks', d.taskId, { section_id: d.toSectionId });
    }
    case 'SupplierProjectInstanceCreated': {
      const d = dataOf(event, event.type);
      return rows.put('supplier_projects', {
        id: d.supplierProjectInstanceId,
        supplier_id: d.supplierId,
        project_id: d.projectId,
      });
    }
    case 'SupplierTaskInstanceCreated': {
      const d = dataOf(event, event.type);
      const owner = rows.get('supplier_projects', d.supplierProjectInstanceId);
      if (!owner) throw new Error(`supplier project ${d.supplierProjectInstanceId} does not exist`);
      return rows.put('task_instances', {
        id: d.supplierTaskInstanceId,
        supplier_project_id: d.supplierProjectInstanceId,
        supplier_id: owner.supplier_id as string,
        project_id: owner.project_id as string,
        template_id: d.templateId,
        task_id: d.taskId,
        status: 'NOT_STARTED',
        due_date_override: null,
        notes_count: 0,
        created_at: at,
        completed_at: null,
        status_changed_at: at,
      });
    }
    case 'SupplierTaskStatusChanged': {
      const d = dataOf(event, event.type);
      rows.put('status_history', {
        id: event.eventId,
        task_instance_id: d.supplierTaskInstanceId,
        from_status: d.from,
        to_status: d.to,
        occurred_at: at,
      });
      return rows.update('task_instances', d.supplierTaskInstanceId, {
        status: d.to,
        status_changed_at: at,
        completed_at: d.to === 'COMPLETED' ? at : null,
      });
    }
    case 'SupplierTaskDueDateOverridden': {
      const d = dataOf(event, event.type);
      return rows.update('task_instances', d.supplierTaskInstanceId, {
        due_date_override: d.dueDate,
      });
    }
    case 'SupplierTaskDueDateOverrideCleared':
      return rows.update('task_instances', dataOf(event, event.type).supplierTaskInstanceId, {
        due_date_override: null,
      });
    case 'SupplierTaskNoteAdded': {
      const d = dataOf(event, event.type);
      const instance = rows.get('task_instances', d.supplierTaskInstanceId);
      if (!instance) throw new Error(`task instance ${d.supplierTaskInstanceId} does not exist`);
      rows.put('notes', {
        id: d.noteId,
        task_instance_id: d.supplierTaskInstanceId,
        text: d.text,
        author: d.author,
        occurred_at: at,
      });
      return rows.update('task_instances', d.supplierTaskInstanceId, {
        notes_count: (instance.notes_count as number) + 1,
      });
    }
    default:
      // Event types this version does not know (added later) leave it unchanged.
      return;
  }
}

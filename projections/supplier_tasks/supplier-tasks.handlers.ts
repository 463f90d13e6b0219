import { v2Handlers } from '../v2-handlers';

/** Every V2 event changes this read model: it ignores none. `reads` names the only existing rows `apply` may touch. */
export const supplierTasksHandlers = v2Handlers([], {
  SupplierRegistered: {
    apply: ({ data: d }, rows) =>
      rows.put('suppliers', { id: d.supplierId, code: d.code, name: d.name }),
  },
  SupplierRenamed: {
    reads: ({ data }) => [{ table: 'suppliers', id: data.supplierId }],
    apply: ({ data: d }, rows) => rows.update('suppliers', d.supplierId, { name: d.name }),
  },
  ProjectCreated: {
    apply: ({ data: d }, rows) =>
      rows.put('projects', { id: d.projectId, code: d.code, name: d.name }),
  },
  ProjectRenamed: {
    reads: ({ data }) => [{ table: 'projects', id: data.projectId }],
    apply: ({ data: d }, rows) => rows.update('projects', d.projectId, { name: d.name }),
  },
  ProjectTaskTemplateCreated: {
    apply: ({ data: d }, rows) =>
      rows.put('templates', {
        id: d.templateId,
        project_id: d.projectId,
        task_type_id: d.taskTypeId,
        task_id: d.taskId,
        due_date: d.dueDate,
      }),
  },
  ProjectTaskTemplateDueDateChanged: {
    reads: ({ data }) => [{ table: 'templates', id: data.templateId }],
    apply: ({ data: d }, rows) => rows.update('templates', d.templateId, { due_date: d.dueDate }),
  },
  ProjectTaskTemplateRemoved: {
    apply: ({ data }, rows) => rows.delete('templates', data.templateId),
  },
  TaskTypeCreated: {
    apply: ({ data: d }, rows) =>
      rows.put('task_types', { id: d.taskTypeId, name: d.name, category: d.category }),
  },
  TaskTypeRenamed: {
    reads: ({ data }) => [{ table: 'task_types', id: data.taskTypeId }],
    apply: ({ data: d }, rows) => rows.update('task_types', d.taskTypeId, { name: d.name }),
  },
  TaskTypeCategoryChanged: {
    reads: ({ data }) => [{ table: 'task_types', id: data.taskTypeId }],
    apply: ({ data: d }, rows) => rows.update('task_types', d.taskTypeId, { category: d.category }),
  },
  TaskTypeSectionCreated: {
    apply: ({ data: d }, rows) =>
      rows.put('sections', {
        id: d.sectionId,
        task_type_id: d.taskTypeId,
        code: d.code,
        name: d.name,
        sort_order: d.sortOrder,
      }),
  },
  TaskTypeSectionRenamed: {
    reads: ({ data }) => [{ table: 'sections', id: data.sectionId }],
    apply: ({ data: d }, rows) => rows.update('sections', d.sectionId, { name: d.name }),
  },
  TaskTypeSectionDeleted: {
    apply: ({ data }, rows) => rows.delete('sections', data.sectionId),
  },
  TaskCreated: {
    apply: ({ data: d }, rows) =>
      rows.put('tasks', {
        id: d.taskId,
        task_type_id: d.taskTypeId,
        section_id: d.sectionId,
        parent_task_id: d.parentTaskId,
        title: d.title,
        sort_order: d.sortOrder,
      }),
  },
  TaskRenamed: {
    reads: ({ data }) => [{ table: 'tasks', id: data.taskId }],
    apply: ({ data: d }, rows) => rows.update('tasks', d.taskId, { title: d.title }),
  },
  TaskMovedToSection: {
    reads: ({ data }) => [{ table: 'tasks', id: data.taskId }],
    apply: ({ data: d }, rows) => rows.update('tasks', d.taskId, { section_id: d.toSectionId }),
  },
  SupplierProjectInstanceCreated: {
    apply: ({ data: d }, rows) =>
      rows.put('supplier_projects', {
        id: d.supplierProjectInstanceId,
        supplier_id: d.supplierId,
        project_id: d.projectId,
      }),
  },
  SupplierTaskInstanceCreated: {
    reads: ({ data }) => [{ table: 'supplier_projects', id: data.supplierProjectInstanceId }],
    apply: ({ data: d, metadata }, rows) => {
      const owner = rows.get('supplier_projects', d.supplierProjectInstanceId);
      if (!owner) throw new Error(`supplier project ${d.supplierProjectInstanceId} does not exist`);
      rows.put('task_instances', {
        id: d.supplierTaskInstanceId,
        supplier_project_id: d.supplierProjectInstanceId,
        supplier_id: owner.supplier_id as string,
        project_id: owner.project_id as string,
        template_id: d.templateId,
        task_id: d.taskId,
        status: 'NOT_STARTED',
        due_date_override: null,
        notes_count: 0,
        created_at: metadata.occurredAt,
        completed_at: null,
        status_changed_at: metadata.occurredAt,
      });
    },
  },
  SupplierTaskStatusChanged: {
    reads: ({ data }) => [{ table: 'task_instances', id: data.supplierTaskInstanceId }],
    apply: ({ data: d, metadata, eventId }, rows) => {
      const at = metadata.occurredAt;
      rows.put('status_history', {
        id: eventId,
        task_instance_id: d.supplierTaskInstanceId,
        from_status: d.from,
        to_status: d.to,
        occurred_at: at,
      });
      rows.update('task_instances', d.supplierTaskInstanceId, {
        status: d.to,
        status_changed_at: at,
        completed_at: d.to === 'COMPLETED' ? at : null,
      });
    },
  },
  SupplierTaskDueDateOverridden: {
    reads: ({ data }) => [{ table: 'task_instances', id: data.supplierTaskInstanceId }],
    apply: ({ data: d }, rows) =>
      rows.update('task_instances', d.supplierTaskInstanceId, { due_date_override: d.dueDate }),
  },
  SupplierTaskDueDateOverrideCleared: {
    reads: ({ data }) => [{ table: 'task_instances', id: data.supplierTaskInstanceId }],
    apply: ({ data: d }, rows) =>
      rows.update('task_instances', d.supplierTaskInstanceId, { due_date_override: null }),
  },
  SupplierTaskNoteAdded: {
    reads: ({ data }) => [{ table: 'task_instances', id: data.supplierTaskInstanceId }],
    apply: ({ data: d, metadata }, rows) => {
      const instance = rows.get('task_instances', d.supplierTaskInstanceId);
      if (!instance) throw new Error(`task instance ${d.supplierTaskInstanceId} does not exist`);
      rows.put('notes', {
        id: d.noteId,
        task_instance_id: d.supplierTaskInstanceId,
        text: d.text,
        author: d.author,
        occurred_at: metadata.occurredAt,
      });
      rows.update('task_instances', d.supplierTaskInstanceId, {
        notes_count: (instance.notes_count as number) + 1,
      });
    },
  },
});

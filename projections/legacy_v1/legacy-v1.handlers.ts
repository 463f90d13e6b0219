import { v2Handlers } from '../v2-handlers';

/**
 * Every read path upcasts, so this projection sees V2 events only and maps them back to what
 * V1 readers know: sections are milestones, templates are project milestone tasks, and V2
 * sub-tasks are plain tasks of their section.
 */
export const legacyV1Handlers = v2Handlers(
  // V1 readers were never given suppliers, projects or task types of their own: no table holds them.
  [
    'SupplierRegistered',
    'SupplierRenamed',
    'ProjectCreated',
    'ProjectRenamed',
    'TaskTypeCreated',
    'TaskTypeRenamed',
    'TaskTypeCategoryChanged',
  ],
  {
    TaskTypeSectionCreated: {
      apply: ({ data: d }, rows) =>
        rows.put('milestones', {
          id: d.sectionId,
          task_type_id: d.taskTypeId,
          code: d.code,
          name: d.name,
          sort_order: d.sortOrder,
        }),
    },
    TaskTypeSectionRenamed: {
      reads: ({ data }) => [{ table: 'milestones', id: data.sectionId }],
      apply: ({ data: d }, rows) => rows.update('milestones', d.sectionId, { name: d.name }),
    },
    TaskTypeSectionDeleted: {
      apply: ({ data }, rows) => rows.delete('milestones', data.sectionId),
    },
    TaskCreated: {
      apply: ({ data: d }, rows) =>
        rows.put('tasks', {
          id: d.taskId,
          task_type_id: d.taskTypeId,
          milestone_id: d.sectionId,
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
      apply: ({ data: d }, rows) => rows.update('tasks', d.taskId, { milestone_id: d.toSectionId }),
    },
    ProjectTaskTemplateCreated: {
      reads: ({ data }) => [{ table: 'tasks', id: data.taskId }],
      apply: ({ data: d }, rows) => {
        const milestone =
          d.legacyMilestoneId ??
          (rows.get('tasks', d.taskId)?.milestone_id as string | undefined) ??
          null;
        rows.put('project_milestone_tasks', {
          id: d.templateId,
          project_id: d.projectId,
          milestone_id: milestone,
          task_id: d.taskId,
          due_date: d.dueDate,
        });
      },
    },
    ProjectTaskTemplateDueDateChanged: {
      reads: ({ data }) => [{ table: 'project_milestone_tasks', id: data.templateId }],
      apply: ({ data: d }, rows) =>
        rows.update('project_milestone_tasks', d.templateId, { due_date: d.dueDate }),
    },
    ProjectTaskTemplateRemoved: {
      apply: ({ data }, rows) => rows.delete('project_milestone_tasks', data.templateId),
    },
    SupplierProjectInstanceCreated: {
      apply: ({ data: d }, rows) =>
        rows.put('supplier_project_instances', {
          id: d.supplierProjectInstanceId,
          supplier_id: d.supplierId,
          project_id: d.projectId,
        }),
    },
    SupplierTaskInstanceCreated: {
      reads: ({ data }) => [
        { table: 'supplier_project_instances', id: data.supplierProjectInstanceId },
      ],
      apply: ({ data: d }, rows) => {
        const owner = rows.get('supplier_project_instances', d.supplierProjectInstanceId);
        if (!owner)
          throw new Error(
            `supplier project instance ${d.supplierProjectInstanceId} does not exist`,
          );
        rows.put('supplier_task_instances', {
          id: d.supplierTaskInstanceId,
          supplier_project_instance_id: d.supplierProjectInstanceId,
          supplier_id: owner.supplier_id as string,
          project_id: owner.project_id as string,
          project_milestone_task_id: d.templateId,
          status: 'NOT_STARTED',
          due_date_override: null,
          notes_count: 0,
        });
      },
    },
    SupplierTaskStatusChanged: {
      reads: ({ data }) => [{ table: 'supplier_task_instances', id: data.supplierTaskInstanceId }],
      apply: ({ data: d }, rows) =>
        rows.update('supplier_task_instances', d.supplierTaskInstanceId, { status: d.to }),
    },
    SupplierTaskDueDateOverridden: {
      reads: ({ data }) => [{ table: 'supplier_task_instances', id: data.supplierTaskInstanceId }],
      apply: ({ data: d }, rows) =>
        rows.update('supplier_task_instances', d.supplierTaskInstanceId, {
          due_date_override: d.dueDate,
        }),
    },
    SupplierTaskDueDateOverrideCleared: {
      reads: ({ data }) => [{ table: 'supplier_task_instances', id: data.supplierTaskInstanceId }],
      apply: ({ data: d }, rows) =>
        rows.update('supplier_task_instances', d.supplierTaskInstanceId, {
          due_date_override: null,
        }),
    },
    SupplierTaskNoteAdded: {
      reads: ({ data }) => [{ table: 'supplier_task_instances', id: data.supplierTaskInstanceId }],
      apply: ({ data: d }, rows) => {
        const instance = rows.get('supplier_task_instances', d.supplierTaskInstanceId);
        if (!instance)
          throw new Error(`supplier task instance ${d.supplierTaskInstanceId} does not exist`);
        rows.update('supplier_task_instances', d.supplierTaskInstanceId, {
          notes_count: (instance.notes_count as number) + 1,
        });
      },
    },
  },
);

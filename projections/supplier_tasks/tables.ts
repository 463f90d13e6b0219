import type { TableDefinition } from '../projection-definition';

/** The V2 read model's tables. Dates are `YYYY-MM-DD` text, times ISO-8601 text. */
export const supplierTasksTables: Record<string, TableDefinition> = {
  suppliers: { columns: { code: 'text', name: 'text' } },
  projects: { columns: { code: 'text', name: 'text' } },
  task_types: { columns: { name: 'text', category: 'text' } },
  sections: {
    columns: { task_type_id: 'text', code: 'text', name: 'text', sort_order: 'integer' },
    indexes: [['task_type_id']],
  },
  tasks: {
    columns: {
      task_type_id: 'text',
      section_id: 'text',
      parent_task_id: 'text',
      title: 'text',
      sort_order: 'integer',
    },
    indexes: [['section_id'], ['parent_task_id']],
  },
  templates: {
    columns: { project_id: 'text', task_type_id: 'text', task_id: 'text', due_date: 'text' },
    indexes: [['project_id'], ['task_id']],
  },
  supplier_projects: {
    columns: { supplier_id: 'text', project_id: 'text' },
    indexes: [['supplier_id'], ['project_id']],
  },
  task_instances: {
    columns: {
      supplier_project_id: 'text',
      supplier_id: 'text',
      project_id: 'text',
      template_id: 'text',
      task_id: 'text',
      status: 'text',
      due_date_override: 'text',
      notes_count: 'integer',
      created_at: 'text',
      completed_at: 'text',
      status_changed_at: 'text',
    },
    indexes: [
      ['supplier_id', 'status'],
      ['project_id', 'status'],
      ['template_id'],
      ['supplier_project_id'],
      ['status'],
    ],
  },
  notes: {
    columns: { task_instance_id: 'text', text: 'text', author: 'text', occurred_at: 'text' },
    indexes: [['task_instance_id']],
  },
  status_history: {
    columns: {
      task_instance_id: 'text',
      from_status: 'text',
      to_status: 'text',
      occurred_at: 'text',
    },
    indexes: [['task_instance_id']],
  },
};

/**
 * An instance's effective due date and section are read through its template and task, so a
 * template's due-date change or a task's move reaches every instance without rewriting them.
 */
export const supplierTasksViews: Record<string, string> = {
  task_instance_details: `
    SELECT i.id, i.supplier_project_id, i.supplier_id, i.project_id, i.template_id,
      coalesce(i.task_id, t.task_id) AS task_id, k.section_id, k.task_type_id, i.status,
      coalesce(i.due_date_override, t.due_date) AS due_date, i.due_date_override IS NOT NULL AS due_date_overridden,
      t.due_date AS template_due_date, i.notes_count, i.created_at, i.completed_at, i.status_changed_at
    FROM {schema}.task_instances i
    LEFT JOIN {schema}.templates t ON t.id = i.template_id
    LEFT JOIN {schema}.tasks k ON k.id = coalesce(i.task_id, t.task_id)`,
};

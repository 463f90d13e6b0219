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

/** Version 2 adds each supplier project's counters (see progress.handlers.ts). */
export const supplierTasksV2Tables: Record<string, TableDefinition> = {
  ...supplierTasksTables,
  supplier_project_progress: {
    columns: {
      supplier_id: 'text',
      project_id: 'text',
      total: 'integer',
      not_started: 'integer',
      in_progress: 'integer',
      completed: 'integer',
    },
    indexes: [['project_id'], ['supplier_id']],
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

/**
 * What an instance's due-date key holds when it has no due date (its template was removed): it
 * sorts after every `YYYY-MM-DD`, in any collation, so "no due date last" is one index order.
 */
export const NO_DUE_DATE = '9999-99-99';

const { task_instances: v2Instances, ...v2Rest } = supplierTasksV2Tables;

/**
 * Version 3 keeps counters (see template-counters.handlers.ts) and each instance's effective
 * due date on its row, indexed with whether it is open, so every dashboard read is a few index
 * ranges or a GROUP BY over counter rows rather than over instances.
 */
export const supplierTasksV3Tables: Record<string, TableDefinition> = {
  ...v2Rest,
  task_instances: {
    columns: {
      ...v2Instances!.columns,
      due_date_key: 'text',
      is_open: 'boolean',
      // The template's project and task, which its counters are kept under.
      counted_project_id: 'text',
      counted_task_id: 'text',
    },
    indexes: [
      ['is_open', 'due_date_key', 'id'],
      ['supplier_id', 'is_open', 'due_date_key', 'id'],
      ['project_id', 'is_open', 'due_date_key', 'id'],
      ['supplier_project_id', 'is_open', 'due_date_key'],
      ['template_id'],
    ],
  },
  template_progress: {
    columns: {
      project_id: 'text',
      task_id: 'text',
      total: 'integer',
      not_started: 'integer',
      in_progress: 'integer',
      completed: 'integer',
      open_on_template_date: 'integer',
    },
    indexes: [['project_id'], ['task_id']],
  },
  scope_progress: {
    columns: {
      kind: 'text',
      scope_id: 'text',
      total: 'integer',
      not_started: 'integer',
      in_progress: 'integer',
      completed: 'integer',
    },
    indexes: [['kind', 'scope_id']],
  },
  open_by_due_date: {
    columns: { kind: 'text', scope_id: 'text', due_date: 'text', open: 'integer' },
    indexes: [
      ['kind', 'due_date', 'scope_id', 'open'],
      ['kind', 'scope_id', 'due_date', 'open'],
    ],
  },
};

/** Version 1's view, with the due date the handlers keep on the instance row. */
export const supplierTasksV3Views: Record<string, string> = {
  task_instance_details: `
    SELECT i.id, i.supplier_project_id, i.supplier_id, i.project_id, i.template_id,
      coalesce(i.task_id, t.task_id) AS task_id, k.section_id, k.task_type_id, i.status,
      nullif(i.due_date_key, '${NO_DUE_DATE}') AS due_date, i.due_date_override IS NOT NULL AS due_date_overridden,
      t.due_date AS template_due_date, i.notes_count, i.created_at, i.completed_at, i.status_changed_at
    FROM {schema}.task_instances i
    LEFT JOIN {schema}.templates t ON t.id = i.template_id
    LEFT JOIN {schema}.tasks k ON k.id = coalesce(i.task_id, t.task_id)`,
};

const {
  task_instances: v3Instances,
  template_progress: v3TemplateCounters,
  ...v3Rest
} = supplierTasksV3Tables;

/**
 * Version 4 keeps version 3's counters and the same counts per project and task type (see
 * task-type-counters.handlers.ts): the task type each instance and template is counted under,
 * and the instances by their counted task, which a task created after them (a legacy log) moves.
 */
export const supplierTasksV4Tables: Record<string, TableDefinition> = {
  ...v3Rest,
  task_instances: {
    columns: { ...v3Instances!.columns, counted_task_type_id: 'text' },
    indexes: [...v3Instances!.indexes!, ['counted_task_id']],
  },
  template_progress: {
    ...v3TemplateCounters!,
    columns: { ...v3TemplateCounters!.columns, counted_task_type_id: 'text' },
  },
};

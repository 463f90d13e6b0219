import type { TableDefinition } from '../projection-definition';

/** The tables the legacy portal's readers know, in its vocabulary (milestones, PMTs). */
export const legacyV1Tables: Record<string, TableDefinition> = {
  milestones: {
    columns: { task_type_id: 'text', code: 'text', name: 'text', sort_order: 'integer' },
    indexes: [['task_type_id']],
  },
  tasks: {
    columns: { task_type_id: 'text', milestone_id: 'text', title: 'text', sort_order: 'integer' },
    indexes: [['milestone_id']],
  },
  project_milestone_tasks: {
    columns: { project_id: 'text', milestone_id: 'text', task_id: 'text', due_date: 'text' },
    indexes: [['project_id']],
  },
  supplier_project_instances: { columns: { supplier_id: 'text', project_id: 'text' } },
  supplier_task_instances: {
    columns: {
      supplier_project_instance_id: 'text',
      supplier_id: 'text',
      project_id: 'text',
      project_milestone_task_id: 'text',
      status: 'text',
      due_date_override: 'text',
      notes_count: 'integer',
    },
    indexes: [['project_milestone_task_id'], ['supplier_project_instance_id']],
  },
};

/** The instance's due date as V1 defined it: its PMT's, unless overridden. */
export const legacyV1Views: Record<string, string> = {
  supplier_task_instance_details: `
    SELECT i.id, i.supplier_project_instance_id, i.supplier_id, i.project_id, i.project_milestone_task_id,
      p.task_id, k.milestone_id, i.status, coalesce(i.due_date_override, p.due_date) AS due_date,
      i.due_date_override IS NOT NULL AS due_date_overridden, i.notes_count
    FROM {schema}.supplier_task_instances i
    LEFT JOIN {schema}.project_milestone_tasks p ON p.id = i.project_milestone_task_id
    LEFT JOIN {schema}.tasks k ON k.id = p.task_id`,
};

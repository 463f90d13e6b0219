import type { ProjectionDefinition } from '../projection-definition';
import { supplierTasksHandlers } from './supplier-tasks.handlers';
import { supplierTasksTables, supplierTasksViews } from './tables';

/** Comparable facts, in the vocabulary legacy_v1 shares (section, task, template, instance). */
const facts = `
  SELECT 'supplier' AS entity, id, concat_ws('|', code, name) AS fingerprint FROM {schema}.suppliers
  UNION ALL SELECT 'project', id, concat_ws('|', code, name) FROM {schema}.projects
  UNION ALL SELECT 'task_type', id, concat_ws('|', name, category) FROM {schema}.task_types
  UNION ALL SELECT 'section', id, concat_ws('|', task_type_id, code, name) FROM {schema}.sections
  UNION ALL SELECT 'task', id, concat_ws('|', section_id, title) FROM {schema}.tasks
  UNION ALL SELECT 'template', id, concat_ws('|', project_id, task_id, due_date) FROM {schema}.templates
  UNION ALL SELECT 'instance', id, concat_ws('|', supplier_id, project_id, template_id, status, due_date,
    due_date_overridden, notes_count) FROM {schema}.task_instance_details
  UNION ALL SELECT 'note', id, concat_ws('|', task_instance_id, text, author, occurred_at) FROM {schema}.notes`;

export const supplierTasksV1: ProjectionDefinition = {
  name: 'supplier_tasks',
  version: 1,
  description:
    'V2 read model: suppliers, projects, task types, sections, tasks, templates, instances, notes',
  tables: supplierTasksTables,
  views: supplierTasksViews,
  ...supplierTasksHandlers,
  facts,
  factKinds: [
    'supplier',
    'project',
    'task_type',
    'section',
    'task',
    'template',
    'instance',
    'note',
  ],
};

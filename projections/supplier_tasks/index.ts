import type { ProjectionDefinition } from '../projection-definition';
import { v2Handlers } from '../v2-handlers';
import { supplierTasksV2RowHandlers } from './progress.handlers';
import { stagedHandlers } from './staged-handlers';
import { supplierTasksHandlers } from './supplier-tasks.handlers';
import {
  supplierTasksTables,
  supplierTasksV2Tables,
  supplierTasksV3Tables,
  supplierTasksV3Views,
  supplierTasksV4Tables,
  supplierTasksViews,
} from './tables';
import { supplierTasksV4RowHandlers } from './task-type-counters.handlers';
import { supplierTasksV3RowHandlers } from './template-counters.handlers';

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

/**
 * Version 2: version 1 and each supplier project's progress counters, maintained by its handlers.
 * Its facts are version 1's, so it validates against a live version 1 before the switch.
 */
export const supplierTasksV2: ProjectionDefinition = {
  ...supplierTasksV1,
  version: 2,
  description: `${supplierTasksV1.description}; progress counters per supplier project`,
  tables: supplierTasksV2Tables,
  ...v2Handlers([], supplierTasksV2RowHandlers),
};

/**
 * Version 3: version 2 and the counters per template, with each instance's effective due date
 * on its row (see template-counters.handlers.ts). Its facts are version 1's, read through the
 * same view, so validating it against a live version 2 also checks the due dates it keeps.
 */
export const supplierTasksV3: ProjectionDefinition = {
  ...supplierTasksV2,
  version: 3,
  description: `${supplierTasksV2.description}; counters per template, due dates on instances`,
  tables: supplierTasksV3Tables,
  views: supplierTasksV3Views,
  ...stagedHandlers(supplierTasksV3RowHandlers),
};

/**
 * Version 4: version 3 and the counts per project and task type, which progress per project
 * within a category reads (see task-type-counters.handlers.ts). Same facts, same views.
 */
export const supplierTasksV4: ProjectionDefinition = {
  ...supplierTasksV3,
  version: 4,
  description: `${supplierTasksV3.description}; counters per project and task type`,
  tables: supplierTasksV4Tables,
  ...stagedHandlers(supplierTasksV4RowHandlers),
};

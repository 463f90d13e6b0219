import type { ProjectionDefinition } from '../projection-definition';
import { legacyV1Handlers } from './legacy-v1.handlers';
import { legacyV1Tables, legacyV1Views } from './tables';

/** The same entity kinds and fingerprints as supplier_tasks, so a migration can be validated against it. */
const facts = `
  SELECT 'section' AS entity, id, concat_ws('|', task_type_id, code, name) AS fingerprint FROM {schema}.milestones
  UNION ALL SELECT 'task', id, concat_ws('|', milestone_id, title) FROM {schema}.tasks
  UNION ALL SELECT 'template', id, concat_ws('|', project_id, task_id, due_date) FROM {schema}.project_milestone_tasks
  UNION ALL SELECT 'instance', id, concat_ws('|', supplier_id, project_id, project_milestone_task_id, status, due_date,
    due_date_overridden, notes_count) FROM {schema}.supplier_task_instance_details`;

export const legacyV1V1: ProjectionDefinition = {
  name: 'legacy_v1',
  version: 1,
  description:
    'V1 read model for legacy readers: milestones, tasks, project milestone tasks, instances',
  tables: legacyV1Tables,
  views: legacyV1Views,
  ...legacyV1Handlers,
  facts,
  factKinds: ['section', 'task', 'template', 'instance'],
};

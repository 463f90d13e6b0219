import type { MigrationSummary } from '../migration-summary';

export type SummaryCountKey = keyof MigrationSummary['counts'];

/** A reference that must resolve: `from.column` names a row of `to` (by id). */
export interface Relationship {
  name: string;
  from: string;
  column: string;
  to: string;
}

/**
 * How a projection names what the checks compare. The two vocabularies (V1 milestones and project
 * milestone tasks, V2 sections and templates) share their ids, so the checks join them on id.
 */
export interface ReadModelVocabulary {
  /** The relation counted for each of the summary format's counts; null where it has no such entity. */
  counts: Record<SummaryCountKey, string | null>;
  /** A view with `id, status, due_date, due_date_overridden, notes_count` per task instance. */
  instances: string;
  /** Note texts, where the projection keeps them. */
  notes: { relation: string; instanceColumn: string; textColumn: string } | null;
  relationships: Relationship[];
}

const supplierTasks: ReadModelVocabulary = {
  counts: {
    suppliers: 'suppliers',
    projects: 'projects',
    taskTypes: 'task_types',
    taskTypeSections: 'sections',
    tasks: 'tasks',
    projectTaskTemplates: 'templates',
    supplierProjectInstances: 'supplier_projects',
    supplierTaskInstances: 'task_instances',
  },
  instances: 'task_instance_details',
  notes: { relation: 'notes', instanceColumn: 'task_instance_id', textColumn: 'text' },
  relationships: [
    {
      name: 'every task in an existing section',
      from: 'tasks',
      column: 'section_id',
      to: 'sections',
    },
    {
      name: "every instance's template exists",
      from: 'task_instances',
      column: 'template_id',
      to: 'templates',
    },
    {
      name: "every instance's task exists",
      from: 'task_instance_details',
      column: 'task_id',
      to: 'tasks',
    },
    {
      name: "every instance's supplier project exists",
      from: 'task_instances',
      column: 'supplier_project_id',
      to: 'supplier_projects',
    },
  ],
};

/** The legacy portal kept no suppliers, projects or task types of its own, nor note texts. */
const legacyV1: ReadModelVocabulary = {
  counts: {
    suppliers: null,
    projects: null,
    taskTypes: null,
    taskTypeSections: 'milestones',
    tasks: 'tasks',
    projectTaskTemplates: 'project_milestone_tasks',
    supplierProjectInstances: 'supplier_project_instances',
    supplierTaskInstances: 'supplier_task_instances',
  },
  instances: 'supplier_task_instance_details',
  notes: null,
  relationships: [
    {
      name: 'every task in an existing section',
      from: 'tasks',
      column: 'milestone_id',
      to: 'milestones',
    },
    {
      name: "every instance's template exists",
      from: 'supplier_task_instances',
      column: 'project_milestone_task_id',
      to: 'project_milestone_tasks',
    },
    {
      name: "every instance's task exists",
      from: 'supplier_task_instance_details',
      column: 'task_id',
      to: 'tasks',
    },
    {
      name: "every instance's supplier project exists",
      from: 'supplier_task_instances',
      column: 'supplier_project_instance_id',
      to: 'supplier_project_instances',
    },
  ],
};

const VOCABULARIES: Record<string, ReadModelVocabulary> = {
  supplier_tasks: supplierTasks,
  legacy_v1: legacyV1,
};

/** Every version of a projection keeps its vocabulary: a version that renames a relation says so here. */
export function vocabularyOf(name: string): ReadModelVocabulary | undefined {
  return VOCABULARIES[name];
}

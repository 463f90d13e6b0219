import type { SqlClient } from '../eventstore/sql/sql-client';

/** The format of docs/legacy-v1/SUMMARY.md, read from the live supplier_tasks views. */
export interface MigrationSummary {
  counts: Record<
    | 'suppliers'
    | 'projects'
    | 'taskTypes'
    | 'taskTypeSections'
    | 'tasks'
    | 'projectTaskTemplates'
    | 'supplierProjectInstances'
    | 'supplierTaskInstances',
    number
  >;
  instances: {
    active: number;
    completed: number;
    withNotes: number;
    notes: number;
    overridden: number;
  };
  taskTypeCategories: Record<string, string>;
  sections: Record<string, { taskTypeId: string; code: string; name: string }>;
  tasks: Record<string, { sectionId: string; title: string }>;
  templates: Record<string, { projectId: string; taskId: string; dueDate: string }>;
  supplierTaskInstances: Record<
    string,
    {
      supplierId: string;
      projectId: string;
      templateId: string;
      taskId: string;
      sectionId: string;
      status: string;
      dueDate: string;
      dueDateOverridden: boolean;
      notes: number;
    }
  >;
}

export async function migrationSummary(sql: SqlClient): Promise<MigrationSummary> {
  const count = async (relation: string) =>
    (
      await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM supplier_tasks.${relation}`)
    )[0]!.n;
  const [instances] = await sql.query<MigrationSummary['instances']>(
    `SELECT count(*) FILTER (WHERE status <> 'COMPLETED')::int AS active,
       count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed,
       count(*) FILTER (WHERE notes_count > 0)::int AS "withNotes",
       coalesce(sum(notes_count), 0)::int AS notes,
       count(*) FILTER (WHERE due_date_overridden)::int AS overridden
     FROM supplier_tasks.task_instance_details`,
  );
  const byId = <T>(rows: Array<{ id: string } & T>) =>
    Object.fromEntries(rows.map(({ id, ...rest }) => [id, rest])) as unknown as Record<string, T>;
  return {
    counts: {
      suppliers: await count('suppliers'),
      projects: await count('projects'),
      taskTypes: await count('task_types'),
      taskTypeSections: await count('sections'),
      tasks: await count('tasks'),
      projectTaskTemplates: await count('templates'),
      supplierProjectInstances: await count('supplier_projects'),
      supplierTaskInstances: await count('task_instances'),
    },
    instances: instances!,
    taskTypeCategories: Object.fromEntries(
      (
        await sql.query<{ id: string; category: string }>(
          'SELECT id, category FROM supplier_tasks.task_types',
        )
      ).map((r) => [r.id, r.category]),
    ),
    sections: byId(
      await sql.query(
        'SELECT id, task_type_id AS "taskTypeId", code, name FROM supplier_tasks.sections',
      ),
    ),
    tasks: byId(
      await sql.query('SELECT id, section_id AS "sectionId", title FROM supplier_tasks.tasks'),
    ),
    templates: byId(
      await sql.query(
        'SELECT id, project_id AS "projectId", task_id AS "taskId", due_date AS "dueDate" FROM supplier_tasks.templates',
      ),
    ),
    supplierTaskInstances: byId(
      await sql.query(
        `SELECT id, supplier_id AS "supplierId", project_id AS "projectId", template_id AS "templateId",
           task_id AS "taskId", section_id AS "sectionId", status, due_date AS "dueDate",
           due_date_overridden AS "dueDateOverridden", notes_count AS notes
         FROM supplier_tasks.task_instance_details`,
      ),
    ),
  };
}

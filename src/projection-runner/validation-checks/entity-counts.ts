import type { SqlSession } from '../../eventstore/sql/sql-client';
import type { SummaryCountKey } from './read-model-vocabulary';
import { relation, type Side } from './validation-check';

export type EntityCounts = Record<SummaryCountKey, number | null>;

export const SUMMARY_COUNT_KEYS: readonly SummaryCountKey[] = [
  'suppliers',
  'projects',
  'taskTypes',
  'taskTypeSections',
  'tasks',
  'projectTaskTemplates',
  'supplierProjectInstances',
  'supplierTaskInstances',
];

/** What a version whose counts could not be read reports: nothing. */
export const NO_COUNTS: EntityCounts = {
  suppliers: null,
  projects: null,
  taskTypes: null,
  taskTypeSections: null,
  tasks: null,
  projectTaskTemplates: null,
  supplierProjectInstances: null,
  supplierTaskInstances: null,
};

/** The summary format's eight counts as one version holds them; null where it has no such entity. */
export async function entityCounts(sql: SqlSession, side: Side): Promise<EntityCounts> {
  const counts = {} as EntityCounts;
  for (const key of SUMMARY_COUNT_KEYS) {
    const table = side.vocabulary?.counts[key] ?? null;
    counts[key] =
      table === null
        ? null
        : (
            await sql.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM ${relation(side, table)}`,
            )
          )[0]!.n;
  }
  return counts;
}

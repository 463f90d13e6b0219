import type { SqlSession } from '../../eventstore/sql/sql-client';
import type { MigrationSummary } from '../migration-summary';
import { relation, type Side } from './validation-check';

export type InstanceFigures = MigrationSummary['instances'];

/** The summary format's instance figures, as one version holds them; null without an instance view. */
export async function instanceFigures(
  sql: SqlSession,
  side: Side,
): Promise<InstanceFigures | null> {
  if (!side.vocabulary) return null;
  const [figures] = await sql.query<InstanceFigures>(
    `SELECT count(*) FILTER (WHERE status <> 'COMPLETED')::int AS active,
       count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed,
       count(*) FILTER (WHERE notes_count > 0)::int AS "withNotes",
       coalesce(sum(notes_count), 0)::int AS notes,
       count(*) FILTER (WHERE due_date_overridden)::int AS overridden
     FROM ${relation(side, side.vocabulary.instances)}`,
  );
  return figures!;
}

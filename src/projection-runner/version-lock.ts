import type { SqlSession } from '../eventstore/sql/sql-client';
import { schemaOf, type ProjectionDefinition } from '../../projections/projection-definition';

/** A version's place in the log and whether it is being applied, as projections.versions holds it. */
export interface VersionState {
  status: string;
  position: string;
}

/** The advisory lock that one process at a time holds to apply a version. */
export function lockKey(definition: ProjectionDefinition): string {
  return `projection:${schemaOf(definition.name, definition.version)}`;
}

/** The version's state row, locked for the rest of the transaction. */
export async function lockedState(
  tx: SqlSession,
  definition: ProjectionDefinition,
): Promise<VersionState | undefined> {
  const [state] = await tx.query<VersionState>(
    `SELECT status, position::text AS position FROM projections.versions
     WHERE name = $1 AND version = $2 FOR UPDATE`,
    [definition.name, definition.version],
  );
  return state;
}

import { quoteIdent } from '../../eventstore/sql/quote-ident';
import type { SqlSession } from '../../eventstore/sql/sql-client';
import { schemaOf, type ProjectionDefinition } from '../../../projections/projection-definition';
import { vocabularyOf, type ReadModelVocabulary } from './read-model-vocabulary';

export const CHECK_GROUPS = [
  'schema',
  'integrity',
  'relationships',
  'business',
  'performance',
] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

/** One named verdict of a validation, computed from the two versions. */
export interface ValidationCheck {
  name: string;
  group: CheckGroup;
  passed: boolean;
  /** What was compared and what was found, in a sentence a migration owner can read. */
  details: string;
  /** The first differences (at most DIFFERENCES_SHOWN), each naming what differs on which side. */
  differences: string[];
  /** The timings of a performance check. */
  timing?: { runs: number; p50Ms: number; p95Ms: number; boundMs: number };
}

/** How many differences a check keeps: enough to find the cause, never the whole read model. */
export const DIFFERENCES_SHOWN = 10;

/** One of the two versions a validation compares. */
export interface Side {
  definition: ProjectionDefinition;
  label: string;
  /** The version's own schema, quoted. */
  schema: string;
  vocabulary: ReadModelVocabulary | undefined;
}

export function sideOf(definition: ProjectionDefinition): Side {
  return {
    definition,
    label: `${definition.name} v${definition.version}`,
    schema: quoteIdent(schemaOf(definition.name, definition.version)),
    vocabulary: vocabularyOf(definition.name),
  };
}

export const relation = (side: Side, name: string): string => `${side.schema}.${quoteIdent(name)}`;

/**
 * Runs part of a validation so that a query it cannot answer (a relation or column a broken
 * version lacks) becomes that part's failure, not the validation's: inside the transaction that
 * holds both versions, a savepoint keeps the rest of the comparison going.
 */
export async function guarded<T>(
  sql: SqlSession,
  compute: () => Promise<T>,
  onError: (message: string) => T,
): Promise<T> {
  await sql.query('SAVEPOINT validation_part');
  try {
    const result = await compute();
    await sql.query('RELEASE SAVEPOINT validation_part');
    return result;
  } catch (error) {
    await sql.query('ROLLBACK TO SAVEPOINT validation_part');
    return onError(error instanceof Error ? error.message : String(error));
  }
}

/** The check a part of the validation stands for, failed because it could not be computed. */
export const uncomputed = (name: string, group: CheckGroup, message: string): ValidationCheck => ({
  name,
  group,
  passed: false,
  details: `could not be computed: ${message}`,
  differences: [message],
});

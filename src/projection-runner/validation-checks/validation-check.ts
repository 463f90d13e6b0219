import { quoteIdent } from '../../eventstore/sql/quote-ident';
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

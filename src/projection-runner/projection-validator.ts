import { quoteIdent } from '../eventstore/sql/pg-sql-client';
import type { SqlSession } from '../eventstore/sql/sql-client';
import { schemaOf, type ProjectionDefinition } from '../../projections/projection-definition';

export interface ValidationDifference {
  entity: string;
  id: string;
  candidate: string | null;
  reference: string | null;
}

export interface ValidationReport {
  candidate: string;
  reference: string;
  passed: boolean;
  /** Per entity kind: how many each side has, and a checksum over all of its fingerprints. */
  entities: Record<
    string,
    { candidate: number; reference: number; candidateChecksum: string; referenceChecksum: string }
  >;
  differenceCount: number;
  /** The first differences (all of them up to the limit), each naming the entity and both sides. */
  differences: ValidationDifference[];
}

const DIFFERENCE_LIMIT = 1000;

/**
 * Compares two projection versions on their facts: counts per entity kind, a checksum per kind,
 * and every entity whose fingerprint differs, is missing or is extra. Only the kinds both
 * projections know are compared (legacy_v1 has no suppliers, for instance).
 */
export async function validateProjection(
  sql: SqlSession,
  candidate: ProjectionDefinition,
  reference: ProjectionDefinition,
): Promise<ValidationReport> {
  const kinds = candidate.factKinds.filter((k) => reference.factKinds.includes(k));
  const factsOf = (d: ProjectionDefinition) =>
    `SELECT * FROM (${d.facts.replaceAll('{schema}', quoteIdent(schemaOf(d.name, d.version)))}) f WHERE entity = ANY($1::text[])`;
  const summary = await sql.query<{ side: string; entity: string; n: number; checksum: string }>(
    `WITH c AS (${factsOf(candidate)}), r AS (${factsOf(reference)})
     SELECT 'candidate' AS side, entity, count(*)::int AS n, md5(string_agg(id || '=' || fingerprint, ',' ORDER BY id)) AS checksum
       FROM c GROUP BY entity
     UNION ALL
     SELECT 'reference', entity, count(*)::int, md5(string_agg(id || '=' || fingerprint, ',' ORDER BY id))
       FROM r GROUP BY entity`,
    [kinds],
  );
  const differences = await sql.query<ValidationDifference & { total: number }>(
    `WITH c AS (${factsOf(candidate)}), r AS (${factsOf(reference)}),
     d AS (
       SELECT coalesce(c.entity, r.entity) AS entity, coalesce(c.id, r.id) AS id,
         c.fingerprint AS candidate, r.fingerprint AS reference
       FROM c FULL JOIN r ON c.entity = r.entity AND c.id = r.id
       WHERE c.fingerprint IS DISTINCT FROM r.fingerprint
     )
     SELECT entity, id, candidate, reference, (count(*) OVER ())::int AS total FROM d ORDER BY entity, id LIMIT $2`,
    [kinds, DIFFERENCE_LIMIT],
  );
  const entities: ValidationReport['entities'] = {};
  for (const kind of kinds) {
    const of = (side: string) => summary.find((s) => s.side === side && s.entity === kind);
    entities[kind] = {
      candidate: of('candidate')?.n ?? 0,
      reference: of('reference')?.n ?? 0,
      candidateChecksum: of('candidate')?.checksum ?? '-',
      referenceChecksum: of('reference')?.checksum ?? '-',
    };
  }
  const differenceCount = differences[0]?.total ?? 0;
  return {
    candidate: `${candidate.name} v${candidate.version}`,
    reference: `${reference.name} v${reference.version}`,
    passed: differenceCount === 0,
    entities,
    differenceCount,
    differences: differences.map(({ entity, id, candidate: c, reference: r }) => ({
      entity,
      id,
      candidate: c,
      reference: r,
    })),
  };
}

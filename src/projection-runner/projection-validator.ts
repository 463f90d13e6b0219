import { quoteIdent } from '../eventstore/sql/pg-sql-client';
import type { SqlSession } from '../eventstore/sql/sql-client';
import { schemaOf, type ProjectionDefinition } from '../../projections/projection-definition';
import type { SkippedEvent } from './projection-status';
import { businessChecks, type Agreement } from './validation-checks/business.checks';
import { entityCounts, NO_COUNTS, type EntityCounts } from './validation-checks/entity-counts';
import { instanceFigures, type InstanceFigures } from './validation-checks/instance-figures';
import {
  checksumsCheck,
  countsCheck,
  type FactComparison,
  type ValidationDifference,
} from './validation-checks/integrity.checks';
import { relationshipChecks } from './validation-checks/relationships.checks';
import { schemaChecks } from './validation-checks/schema.checks';
import {
  guarded,
  sideOf,
  uncomputed,
  type CheckGroup,
  type Side,
  type ValidationCheck,
} from './validation-checks/validation-check';

/** What the migration report shows of the two versions, computed at the position compared. */
export interface ValidationFigures {
  /** The position of the log both versions had applied when they were compared. */
  position: string;
  counts: { candidate: EntityCounts; reference: EntityCounts };
  instances: { candidate: InstanceFigures | null; reference: InstanceFigures | null };
  /** Effective due dates that agree, of the instances either side has. */
  dueDates: Agreement | null;
}

type EntityCountsPair = ValidationFigures['counts'];

export interface ValidationReport extends FactComparison {
  candidate: string;
  reference: string;
  /** Every check passed. */
  passed: boolean;
  /** Each check by name and group (schema, integrity, relationships, business, performance). */
  checks: ValidationCheck[];
  figures: ValidationFigures;
  /** Events an operator let either side pass: what the comparison did not see applied. */
  skipped?: { candidate: SkippedEvent[]; reference: SkippedEvent[] };
}

const DIFFERENCE_LIMIT = 1000;

/** Each shared entity kind's count and checksum on both sides, and the entities that differ. */
async function compareFacts(
  sql: SqlSession,
  candidate: ProjectionDefinition,
  reference: ProjectionDefinition,
): Promise<FactComparison> {
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
  return {
    entities,
    differenceCount: differences[0]?.total ?? 0,
    differences: differences.map(({ entity, id, candidate: c, reference: r }) => ({
      entity,
      id,
      candidate: c,
      reference: r,
    })),
  };
}

/**
 * Compares two projection versions at one position, check by check (all but performance, which
 * the caller times outside the transaction that holds both versions still). Integrity rests on
 * their facts: counts per entity kind, a checksum per kind, and every entity whose fingerprint
 * differs, is missing or is extra. Only the kinds both projections know are compared (legacy_v1
 * has no suppliers, for instance), and each check says what it left out. `sql` is the
 * transaction that holds both versions still; a part it cannot compute fails, naming the error.
 */
export async function validateProjection(
  sql: SqlSession,
  candidate: ProjectionDefinition,
  reference: ProjectionDefinition,
  position: bigint,
): Promise<ValidationReport> {
  const [c, r] = [sideOf(candidate), sideOf(reference)];
  const failed = (name: string, group: CheckGroup) => (message: string) => [
    uncomputed(name, group, message),
  ];
  const facts = await guarded<FactComparison | string>(
    sql,
    () => compareFacts(sql, candidate, reference),
    (message) => message,
  );
  const counts = await guarded<EntityCountsPair | string>(
    sql,
    async () => ({ candidate: await entityCounts(sql, c), reference: await entityCounts(sql, r) }),
    (message) => message,
  );
  const business = await guarded(
    sql,
    () => businessChecks(sql, c, r),
    (message) => ({
      checks: failed('task instances', 'business')(message),
      dueDates: null,
    }),
  );
  const checks = [
    ...(await guarded(sql, () => schemaChecks(sql, c, r), failed('tables and views', 'schema'))),
    typeof counts === 'string'
      ? uncomputed('counts per entity kind preserved', 'integrity', counts)
      : countsCheck(c, r, counts.candidate, counts.reference),
    typeof facts === 'string'
      ? uncomputed('per-entity checksums', 'integrity', facts)
      : checksumsCheck(c, r, facts),
    ...(await guarded(
      sql,
      () => relationshipChecks(sql, c, r),
      failed('relationships', 'relationships'),
    )),
    ...business.checks,
  ];
  const figuresOf = (side: Side) =>
    guarded(
      sql,
      () => instanceFigures(sql, side),
      () => null,
    );
  return {
    candidate: c.label,
    reference: r.label,
    passed: checks.every((check) => check.passed),
    checks,
    figures: {
      position: position.toString(),
      counts: typeof counts === 'string' ? { candidate: NO_COUNTS, reference: NO_COUNTS } : counts,
      instances: { candidate: await figuresOf(c), reference: await figuresOf(r) },
      dueDates: business.dueDates,
    },
    ...(typeof facts === 'string' ? { entities: {}, differenceCount: 0, differences: [] } : facts),
  };
}

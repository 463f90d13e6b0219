import type { SqlSession } from '../../eventstore/sql/sql-client';
import { quoteIdent } from '../../eventstore/sql/quote-ident';
import type { Relationship } from './read-model-vocabulary';
import { DIFFERENCES_SHOWN, relation, type Side, type ValidationCheck } from './validation-check';

interface Resolved {
  total: number;
  /** The ids of the rows whose reference is empty or names no row. */
  dangling: string[];
}

async function resolve(sql: SqlSession, side: Side, r: Relationship): Promise<Resolved> {
  const column = `f.${quoteIdent(r.column)}`;
  const rows = await sql.query<{ id: string | null; total: number }>(
    `SELECT d.id, t.total FROM (SELECT count(*)::int AS total FROM ${relation(side, r.from)}) t
     LEFT JOIN (
       SELECT f.id FROM ${relation(side, r.from)} f
       WHERE ${column} IS NULL OR NOT EXISTS (SELECT 1 FROM ${relation(side, r.to)} x WHERE x.id = ${column})
     ) d ON true ORDER BY d.id`,
  );
  return {
    total: rows[0]?.total ?? 0,
    dangling: rows.flatMap((row) => (row.id === null ? [] : [row.id])),
  };
}

/**
 * Every reference of the candidate resolves, unless the reference's reading of the log leaves the
 * same row dangling too (a legacy history may hold an instance of a removed template): the
 * migration must not break a relationship, and cannot mend one the history broke.
 */
export async function relationshipChecks(
  sql: SqlSession,
  candidate: Side,
  reference: Side,
): Promise<ValidationCheck[]> {
  const checks: ValidationCheck[] = [];
  for (const r of candidate.vocabulary?.relationships ?? []) {
    const c = await resolve(sql, candidate, r);
    const counterpart = reference.vocabulary?.relationships.find((x) => x.name === r.name);
    const ref = counterpart ? await resolve(sql, reference, counterpart) : undefined;
    const broken = c.dangling.filter((id) => !ref?.dangling.includes(id));
    const resolved = (x: Resolved) => `${x.total - x.dangling.length} of ${x.total}`;
    checks.push({
      name: r.name,
      group: 'relationships',
      passed: broken.length === 0,
      details:
        `${r.from}.${r.column} names a row of ${r.to} for ${resolved(c)} rows in ${candidate.label}` +
        (ref
          ? ` (${reference.label}: ${resolved(ref)})`
          : `; ${reference.label} has no such relationship to compare with`),
      differences: broken
        .slice(0, DIFFERENCES_SHOWN)
        .map((id) => `${r.from} ${id}: its ${r.column} names no ${r.to} in ${candidate.label}`),
    });
  }
  return checks;
}

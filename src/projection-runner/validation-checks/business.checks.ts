import type { SqlSession } from '../../eventstore/sql/sql-client';
import { quoteIdent } from '../../eventstore/sql/quote-ident';
import { DIFFERENCES_SHOWN, relation, type Side, type ValidationCheck } from './validation-check';

/** How many rows agree on a value, of all rows either side has. */
export interface Agreement {
  agree: number;
  total: number;
}

interface Compared extends Agreement {
  differences: string[];
}

/** One value per id on both sides, joined on id: the rows where it agrees, and the first that do not. */
async function compare(
  sql: SqlSession,
  candidate: { side: Side; from: string; value: string },
  reference: { side: Side; from: string; value: string },
): Promise<Compared> {
  const joined = `SELECT coalesce(c.id, r.id) AS id, c.v AS c, r.v AS r,
      c.id IS NOT NULL AND r.id IS NOT NULL AND c.v IS NOT DISTINCT FROM r.v AS same
    FROM (SELECT id, (${candidate.value})::text AS v FROM ${relation(candidate.side, candidate.from)}) c
    FULL JOIN (SELECT id, (${reference.value})::text AS v FROM ${relation(reference.side, reference.from)}) r
      ON r.id = c.id`;
  const [totals] = await sql.query<Agreement>(
    `SELECT count(*) FILTER (WHERE same)::int AS agree, count(*)::int AS total FROM (${joined}) j`,
  );
  const differing = await sql.query<{ id: string; c: string | null; r: string | null }>(
    `SELECT id, c, r FROM (${joined}) j WHERE NOT same ORDER BY id LIMIT ${DIFFERENCES_SHOWN}`,
  );
  const show = (v: string | null) => v ?? '(missing)';
  return {
    ...totals!,
    differences: differing.map(
      (d) =>
        `${d.id}: ${show(d.c)} in ${candidate.side.label}, ${show(d.r)} in ${reference.side.label}`,
    ),
  };
}

async function statusCounts(sql: SqlSession, side: Side, instances: string): Promise<string> {
  const rows = await sql.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM ${relation(side, instances)} GROUP BY status ORDER BY status`,
  );
  return rows.map((r) => `${r.status} ${r.n}`).join(', ') || 'none';
}

/**
 * What a supplier sees of each task instance: its status, its notes, its effective due date and
 * whether that date is an override, instance by instance on both sides. `dueDates` is the
 * report's "n of n".
 */
export async function businessChecks(
  sql: SqlSession,
  candidate: Side,
  reference: Side,
): Promise<{ checks: ValidationCheck[]; dueDates: Agreement | null }> {
  const [cv, rv] = [candidate.vocabulary, reference.vocabulary];
  if (!cv || !rv) {
    const check: ValidationCheck = {
      name: 'task instances',
      group: 'business',
      passed: false,
      details: `no instance view known for ${cv ? reference.label : candidate.label}: nothing to compare`,
      differences: [],
    };
    return { checks: [check], dueDates: null };
  }
  const instance = (value: string) =>
    [
      { side: candidate, from: cv.instances, value },
      { side: reference, from: rv.instances, value },
    ] as const;
  const verdict = (name: string, c: Compared, what: string, extra = ''): ValidationCheck => ({
    name,
    group: 'business',
    passed: c.agree === c.total,
    details: `${what} agree for ${c.agree} of ${c.total} task instances${extra}`,
    differences: c.differences,
  });

  const statuses = await compare(sql, ...instance('status'));
  const counts = `${candidate.label}: ${await statusCounts(sql, candidate, cv.instances)}; ${reference.label}: ${await statusCounts(sql, reference, rv.instances)}`;
  const noteCounts = await compare(sql, ...instance('notes_count'));
  const dueDates = await compare(sql, ...instance('due_date'));
  const overrides = await compare(sql, ...instance('due_date_overridden'));
  const checks = [
    verdict('statuses', statuses, 'statuses', ` (${counts})`),
    verdict('note counts', noteCounts, 'note counts'),
    await noteTexts(sql, candidate, reference),
    verdict('effective due dates', dueDates, 'effective due dates'),
    verdict('due-date overrides', overrides, 'overridden or not'),
  ];
  return { checks, dueDates: { agree: dueDates.agree, total: dueDates.total } };
}

/** Note by note, where both versions keep the texts; otherwise only their counts could be compared. */
async function noteTexts(
  sql: SqlSession,
  candidate: Side,
  reference: Side,
): Promise<ValidationCheck> {
  const [cn, rn] = [candidate.vocabulary?.notes, reference.vocabulary?.notes];
  if (!cn || !rn) {
    const without = cn ? reference : candidate;
    return {
      name: 'note texts',
      group: 'business',
      passed: true,
      details: `not compared: ${without.label} keeps no note texts (the note counts per instance are compared above)`,
      differences: [],
    };
  }
  const value = (n: typeof cn) =>
    `concat_ws('|', ${quoteIdent(n.instanceColumn)}, ${quoteIdent(n.textColumn)})`;
  const c = await compare(
    sql,
    { side: candidate, from: cn.relation, value: value(cn) },
    { side: reference, from: rn.relation, value: value(rn) },
  );
  return {
    name: 'note texts',
    group: 'business',
    passed: c.agree === c.total,
    details: `${c.agree} of ${c.total} notes have the same instance and text`,
    differences: c.differences,
  };
}

import type { SqlSession } from '../../eventstore/sql/sql-client';
import { schemaOf } from '../../../projections/projection-definition';
import { DIFFERENCES_SHOWN, type Side, type ValidationCheck } from './validation-check';

type Columns = Map<string, Set<string>>;

async function columnsOf(sql: SqlSession, side: Side): Promise<Columns> {
  const rows = await sql.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1`,
    [schemaOf(side.definition.name, side.definition.version)],
  );
  const columns: Columns = new Map();
  for (const r of rows) {
    columns.set(r.table_name, (columns.get(r.table_name) ?? new Set()).add(r.column_name));
  }
  return columns;
}

/** Every table of the definition with its columns, and every view, as the database holds them. */
function definitionPresent(side: Side, present: Columns): ValidationCheck {
  const { tables, views = {} } = side.definition;
  const missing: string[] = [];
  for (const [table, spec] of Object.entries(tables)) {
    const have = present.get(table);
    if (!have) {
      missing.push(`table ${table} is missing`);
      continue;
    }
    for (const column of ['id', ...Object.keys(spec.columns)]) {
      if (!have.has(column)) missing.push(`column ${table}.${column} is missing`);
    }
  }
  for (const view of Object.keys(views)) {
    if (!present.has(view)) missing.push(`view ${view} is missing`);
  }
  const [t, v] = [Object.keys(tables).length, Object.keys(views).length];
  return {
    name: `tables and views of ${side.label}`,
    group: 'schema',
    passed: missing.length === 0,
    details:
      missing.length === 0
        ? `the ${t} tables (with their columns) and ${v} views its definition declares are present`
        : `${missing.length} of the definition's relations or columns are not in the database`,
    differences: missing.slice(0, DIFFERENCES_SHOWN),
  };
}

/**
 * Readers query the stable views, which show whatever the live version has: a new version of the
 * same projection keeps every relation and column the version it replaces offers them.
 */
function readersKept(candidate: Side, reference: Side, c: Columns, r: Columns): ValidationCheck {
  const name = 'relations and columns readers use are kept';
  if (candidate.definition.name !== reference.definition.name) {
    return {
      name,
      group: 'schema',
      passed: true,
      details: `not applicable: ${reference.label} is another projection with readers of its own, compared on the entities both hold`,
      differences: [],
    };
  }
  const lost: string[] = [];
  for (const [table, columns] of r) {
    const have = c.get(table);
    if (!have) lost.push(`${table} (in ${reference.label}) is not in ${candidate.label}`);
    else
      for (const column of columns)
        if (!have.has(column)) lost.push(`${table}.${column} is not in ${candidate.label}`);
  }
  return {
    name,
    group: 'schema',
    passed: lost.length === 0,
    details:
      lost.length === 0
        ? `all ${r.size} relations of ${reference.label} are in ${candidate.label} with their columns`
        : `${lost.length} relations or columns of ${reference.label} are gone in ${candidate.label}`,
    differences: lost.slice(0, DIFFERENCES_SHOWN),
  };
}

export async function schemaChecks(
  sql: SqlSession,
  candidate: Side,
  reference: Side,
): Promise<ValidationCheck[]> {
  const [c, r] = [await columnsOf(sql, candidate), await columnsOf(sql, reference)];
  return [
    definitionPresent(candidate, c),
    definitionPresent(reference, r),
    readersKept(candidate, reference, c, r),
  ];
}

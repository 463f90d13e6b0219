import { quoteIdent } from '../eventstore/sql/pg-sql-client';
import type { SqlSession } from '../eventstore/sql/sql-client';
import {
  schemaOf,
  type ColumnType,
  type ProjectionDefinition,
  type Row,
  type RowSetRef,
} from '../../projections/projection-definition';
import { RowChanges } from './row-changes';

/** The rows a batch's handlers may read (its `reads`), loaded from the version's schema. */
export async function loadRows(
  tx: SqlSession,
  schema: string,
  refs: Array<{ table: string; id: string }>,
): Promise<Map<string, Map<string, Row>>> {
  const loaded = new Map<string, Map<string, Row>>();
  for (const [table, ids] of RowChanges.refsByTable(refs)) {
    const rows = await tx.query<Row>(
      `SELECT * FROM ${quoteIdent(schema)}.${quoteIdent(table)} WHERE id = ANY($1::text[])`,
      [[...ids]],
    );
    loaded.set(table, new Map(rows.map((row) => [row.id, row])));
  }
  return loaded;
}

/** The rows of the sets a batch's handlers may read (its `readsWhere`): one query per table and column. */
export async function loadRowSets(
  tx: SqlSession,
  schema: string,
  sets: RowSetRef[],
): Promise<Map<string, Map<string, Row>>> {
  const values = new Map<string, { table: string; column: string; values: Set<string> }>();
  for (const { table, column, value } of sets) {
    const key = JSON.stringify([table, column]);
    const entry = values.get(key) ?? { table, column, values: new Set<string>() };
    entry.values.add(value);
    values.set(key, entry);
  }
  const loaded = new Map<string, Map<string, Row>>();
  for (const { table, column, values: wanted } of values.values()) {
    const rows = await tx.query<Row>(
      `SELECT * FROM ${quoteIdent(schema)}.${quoteIdent(table)} WHERE ${quoteIdent(column)} = ANY($1::text[])`,
      [[...wanted]],
    );
    const byId = loaded.get(table) ?? new Map<string, Row>();
    for (const row of rows) byId.set(row.id, row);
    loaded.set(table, byId);
  }
  return loaded;
}

/** Writes a batch's row changes back to the version's schema: deletes, then one upsert per table. */
export async function writeRows(
  tx: SqlSession,
  definition: ProjectionDefinition,
  changes: RowChanges,
): Promise<void> {
  const schema = schemaOf(definition.name, definition.version);
  for (const { table, upserts, deletes } of changes.changes()) {
    const target = `${quoteIdent(schema)}.${quoteIdent(table)}`;
    if (deletes.length > 0)
      await tx.query(`DELETE FROM ${target} WHERE id = ANY($1::text[])`, [deletes]);
    if (upserts.length === 0) continue;
    const spec = definition.tables[table];
    if (!spec) throw new Error(`${definition.name} v${definition.version} has no table ${table}`);
    const columns: Array<[string, ColumnType]> = [['id', 'text'], ...Object.entries(spec.columns)];
    const list = columns.map(([c]) => quoteIdent(c)).join(', ');
    const updates = columns
      .filter(([c]) => c !== 'id')
      .map(([c]) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`)
      .join(', ');
    // One array per column: the server reads arrays of plain values much faster than a JSON
    // document of row objects, and the client builds them without serializing each row.
    await tx.query(
      `INSERT INTO ${target} (${list})
       SELECT * FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
       ON CONFLICT (id) DO ${updates ? `UPDATE SET ${updates}` : 'NOTHING'}`,
      columns.map(([c]) => upserts.map((row) => row[c] ?? null)),
    );
  }
}

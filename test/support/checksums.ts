import { quoteIdent } from '../../src/eventstore/sql/pg-sql-client';
import type { SqlSession } from '../../src/eventstore/sql/sql-client';
import { projectionDefinitions } from '../../projections';
import { schemaOf, type ProjectionDefinition } from '../../projections/projection-definition';

/** What a checksum needs of a connection: `pg`'s Client and the SqlClients both fit. */
export type Queryable = Pick<SqlSession, 'query'>;

/**
 * Per table of the schema `<name>_v<version>`: the row count and the md5 of every row's text,
 * ordered by id. Two builds with equal checksums hold the same rows, byte for byte.
 */
export async function tableChecksums(
  sql: Queryable,
  name: string,
  version: number,
  definitions: ProjectionDefinition[] = projectionDefinitions,
): Promise<Record<string, string>> {
  const definition = definitions.find((d) => d.name === name && d.version === version);
  if (!definition) throw new Error(`no ${name} v${version}`);
  const schema = quoteIdent(schemaOf(name, version));
  const out: Record<string, string> = {};
  for (const table of Object.keys(definition.tables).sort()) {
    const [row] = await sql.query<{ n: number; sum: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), '')) AS sum
       FROM ${schema}.${quoteIdent(table)} t`,
    );
    out[table] = `${row!.n}:${row!.sum}`;
  }
  return out;
}

/** A pg Client as a Queryable. */
export const queryable = (client: {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}): Queryable => ({
  query: async <Row>(text: string, params?: unknown[]) =>
    (await client.query(text, params)).rows as Row[],
});

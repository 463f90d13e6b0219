import type { SqlClient } from '../eventstore/sql/sql-client';
import { quoteIdent } from '../eventstore/sql/quote-ident';

/**
 * A table is rewritten when it occupies this many times the pages its live rows need (the
 * rows' average width from the statistics, plus a tuple header each). Tables of rows inserted
 * once sit near 1; a rebuild's counter tables were found at 45.
 */
const BLOAT_FACTOR = 4;
/** Tables smaller than this are read whole in no time, whatever their bloat. */
const MIN_PAGES = 16;

/**
 * Rewrites the tables of `schema` that are mostly dead row versions, once its statistics are
 * fresh (ANALYZE). A rebuild upserts each counter row once per batch (a template's counts change
 * with every supplier of its project), and batches follow one another faster than those
 * versions can be reclaimed: 10,000 counter rows were left on 9,000 pages, read whole by every
 * dashboard query that scans them, and plain VACUUM would keep the pages. VACUUM FULL takes a
 * lock that no reader waits on while the version is not yet live, so it runs when a rebuild
 * catches up, before the version can be switched to. Returns the tables it rewrote.
 */
export async function compactBloatedTables(sql: SqlClient, schema: string): Promise<string[]> {
  const bloated = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relpages > $2
        AND c.relpages > $3 * c.reltuples * (
          SELECT 24 + coalesce(sum(s.avg_width), 0) FROM pg_stats s
           WHERE s.schemaname = n.nspname AND s.tablename = c.relname
        ) / current_setting('block_size')::int
      ORDER BY 1`,
    [schema, MIN_PAGES, BLOAT_FACTOR],
  );
  // One statement per call: VACUUM cannot run in the implicit transaction of a script.
  for (const { name } of bloated)
    await sql.query(`VACUUM (FULL, ANALYZE) ${quoteIdent(schema)}.${quoteIdent(name)}`);
  return bloated.map((t) => t.name);
}

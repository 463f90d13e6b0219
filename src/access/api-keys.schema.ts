import type { SqlSession } from '../eventstore/sql/sql-client';

/**
 * The keys' table, in the read database (PGlite or PostgreSQL), in a schema of its own so that
 * no projection rebuild or retirement can touch it. Idempotent: run at every start.
 */
export async function ensureApiKeysSchema(sql: SqlSession): Promise<void> {
  await sql.exec(`
    CREATE SCHEMA IF NOT EXISTS access;
    CREATE TABLE IF NOT EXISTS access.api_keys (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      roles jsonb NOT NULL,
      secret_sha256 text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    );
  `);
}

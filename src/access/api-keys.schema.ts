import { migrate, type Migration } from '../eventstore/sql/migrations';
import type { SqlClient } from '../eventstore/sql/sql-client';

/** Every change to a key is announced here, so that services holding keys in memory drop them. */
export const KEYS_CHANGED_CHANNEL = 'access_keys_changed';

/**
 * The keys' table, in the read database (PGlite or PostgreSQL), in a schema of its own so that
 * no projection rebuild or retirement can touch it. Shipped migrations are never edited.
 */
const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'access.api_keys',
    // IF NOT EXISTS: databases made before these migrations were recorded already have it.
    sql: `
      CREATE SCHEMA IF NOT EXISTS access;
      CREATE TABLE IF NOT EXISTS access.api_keys (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        roles jsonb NOT NULL,
        secret_sha256 text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );`,
  },
  {
    version: 2,
    description: 'announce key changes, whoever makes them (CLI, another process)',
    sql: `
      CREATE FUNCTION access.announce_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${KEYS_CHANGED_CHANNEL}', '');
        RETURN NULL;
      END $$;
      CREATE TRIGGER api_keys_changed AFTER UPDATE OR DELETE OR TRUNCATE ON access.api_keys
        FOR EACH STATEMENT EXECUTE FUNCTION access.announce_keys_changed();`,
  },
];

export async function ensureApiKeysSchema(sql: SqlClient): Promise<void> {
  await migrate(sql, 'access', MIGRATIONS);
}

import type { SqlClient } from './sql-client';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * Applies the migrations of `scope` not yet recorded, each in its own transaction with its
 * record, under an advisory lock so that processes starting together apply each exactly once.
 */
export async function migrate(
  client: SqlClient,
  scope: string,
  migrations: Migration[],
): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS public.schema_migrations (
    scope text NOT NULL,
    version int NOT NULL,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, version)
  )`);
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  for (const migration of ordered) {
    await client.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrate:${scope}`]);
      const done = await tx.query(
        'SELECT 1 FROM public.schema_migrations WHERE scope = $1 AND version = $2',
        [scope, migration.version],
      );
      if (done.length > 0) return;
      await tx.exec(migration.sql);
      await tx.query(
        'INSERT INTO public.schema_migrations (scope, version, description) VALUES ($1, $2, $3)',
        [scope, migration.version, migration.description],
      );
    });
  }
}

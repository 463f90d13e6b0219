import type { Migration } from './migrations';

/**
 * `transaction_id` is what makes late commits safe to read; see `SqlEventStore` for the scheme.
 * `data` and `metadata` are `json`, not `jsonb`: json keeps the text exactly as written (key order
 * included), which is what an audit log should give back. There is no index by type: a type
 * filter scans the log in position order, and every index costs each append.
 */
export const eventStoreMigrations: Migration[] = [
  {
    version: 1,
    description: 'events table',
    sql: `
      CREATE TABLE es_events (
        position bigint PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id uuid NOT NULL UNIQUE,
        stream_id text NOT NULL,
        revision bigint NOT NULL,
        category text NOT NULL,
        type text NOT NULL,
        schema_version int,
        data json NOT NULL,
        metadata json NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (stream_id, revision)
      );
      CREATE SEQUENCE es_position_seq AS bigint;
      CREATE INDEX es_events_category_position ON es_events (category, position);
    `,
  },
];

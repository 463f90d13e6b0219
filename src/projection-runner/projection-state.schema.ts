import type { Migration } from '../eventstore/sql/migrations';

/** Where every projection version's progress and the live pointer of each projection live. */
export const projectionStateMigrations: Migration[] = [
  {
    version: 1,
    description: 'projection versions and live pointers',
    sql: `
      CREATE SCHEMA IF NOT EXISTS projections;
      CREATE TABLE projections.versions (
        name text NOT NULL,
        version int NOT NULL,
        status text NOT NULL,
        position bigint NOT NULL DEFAULT 0,
        events_applied bigint NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL DEFAULT now(),
        caught_up_at timestamptz,
        failed_position bigint,
        failed_event_id text,
        failed_event_type text,
        error text,
        validated_against text,
        validated_at timestamptz,
        validation_passed boolean,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, version)
      );
      CREATE TABLE projections.live (
        name text PRIMARY KEY,
        version int NOT NULL,
        previous_version int,
        switched_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 2,
    description: 'fingerprints of what each version was built with; operator skips; retirements',
    sql: `
      ALTER TABLE projections.versions
        ADD COLUMN schema_fingerprint text,
        ADD COLUMN handlers_fingerprint text,
        ADD COLUMN upcasters_fingerprint text;
      CREATE TABLE projections.skips (
        name text NOT NULL,
        version int NOT NULL,
        event_id text NOT NULL,
        position bigint NOT NULL,
        event_type text NOT NULL,
        error text NOT NULL,
        reason text NOT NULL,
        actor text NOT NULL,
        skipped_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, version, event_id)
      );
      CREATE TABLE projections.retirements (
        name text NOT NULL,
        version int NOT NULL,
        retired_at timestamptz NOT NULL DEFAULT now(),
        retained_until timestamptz,
        forced boolean NOT NULL,
        actor text NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: 'every migration run with its report',
    sql: `
      CREATE TABLE projections.migrations (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        target text NOT NULL,
        outcome text NOT NULL,
        failed_checks jsonb NOT NULL,
        error text,
        report jsonb NOT NULL,
        markdown text NOT NULL
      );
    `,
  },
];

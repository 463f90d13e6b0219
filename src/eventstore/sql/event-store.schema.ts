import type { Migration } from './migrations';

/** The channel an append is announced on, with the last position it wrote (`AppendNotifier`). */
export const NOTIFY_CHANNEL = 'es_events';

/** The first key of the transaction-level lock an append holds from before it takes its positions to its end. */
const IN_FLIGHT_LOCK_CLASS = 7424171;

/**
 * Late commits are made safe to read by `es_append` and `es_read_bound`; see `SqlEventStore` for
 * the scheme. `transaction_id` is kept for the audit (and served the earlier, server-wide scheme).
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
  {
    version: 2,
    description: 'es_append: lock, check the plan, take positions, insert, unlock in one call',
    // One round trip instead of one per step: the append lock is held for the time the server
    // needs to insert, never for a client's round trips. Called alone in its own transaction (so
    // that its first write, under the lock, assigns the transaction id), it releases the lock
    // before that transaction commits. The rows come already planned (revisions assigned) and
    // are checked under the lock against what has committed since: a stale plan writes nothing
    // and returns NULL, or fails with a unique violation, and the caller plans again. Duplicate
    // event ids are left to the unique index (a retry is rare; a probe by array on every append
    // is not free, and a cached generic plan may scan).
    sql: `
      CREATE FUNCTION es_append(
        stream_ids text[], revisions bigint[], event_ids uuid[], categories text[],
        types text[], schema_versions int[], data json[], metadata json[]
      ) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        lock_key CONSTANT bigint := 7424171001;
        written CONSTANT bigint := cardinality(event_ids);
        last_position bigint;
      BEGIN
        PERFORM pg_advisory_lock(lock_key);
        BEGIN
          -- A stream behind the revision the plan starts from; one already past it fails on the
          -- unique (stream_id, revision) index below, as does an event id already stored.
          IF EXISTS (
            SELECT 1 FROM unnest(es_append.stream_ids, es_append.revisions) AS p(stream_id, revision)
            GROUP BY p.stream_id
            HAVING min(p.revision) - 1 <> coalesce(
              (SELECT max(e.revision) FROM es_events e WHERE e.stream_id = p.stream_id), -1)
          )
          THEN
            PERFORM pg_advisory_unlock(lock_key);
            RETURN NULL;
          END IF;
          -- The lock makes the block contiguous and ordered like the transaction ids.
          last_position := setval('es_position_seq', nextval('es_position_seq') + written - 1);
          INSERT INTO es_events (position, event_id, stream_id, revision, category, type,
            schema_version, data, metadata)
          SELECT last_position - written + r.n, r.event_id, r.stream_id, r.revision, r.category,
            r.type, r.schema_version, r.data, r.metadata
          FROM unnest(es_append.event_ids, es_append.stream_ids, es_append.revisions,
            es_append.categories, es_append.types, es_append.schema_versions, es_append.data,
            es_append.metadata)
            WITH ORDINALITY AS r(event_id, stream_id, revision, category, type, schema_version,
              data, metadata, n);
          PERFORM pg_notify('${NOTIFY_CHANNEL}', last_position::text);
        EXCEPTION WHEN OTHERS OR query_canceled THEN
          -- A session lock outlives a failed statement: release it, then fail as the insert did
          -- (a unique violation is a race lost to an append that committed meanwhile).
          PERFORM pg_advisory_unlock(lock_key);
          RAISE;
        END;
        PERFORM pg_advisory_unlock(lock_key);
        RETURN last_position;
      END
      $$;
    `,
  },
  {
    version: 3,
    description: 'readers bounded by the appends in flight in this database, not by the server',
    // es_append now marks itself in flight, before its positions become visible in the sequence,
    // with a transaction-level advisory lock whose second key is its first position (low 32
    // bits): the mark lasts until its commit or rollback. es_read_bound reads the sequence first,
    // then the marks, and must run as a statement of its own before the read it bounds, so the
    // read's snapshot is taken after it (see SqlEventStore).
    sql: `
      CREATE OR REPLACE FUNCTION es_append(
        stream_ids text[], revisions bigint[], event_ids uuid[], categories text[],
        types text[], schema_versions int[], data json[], metadata json[]
      ) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        lock_key CONSTANT bigint := 7424171001;
        written CONSTANT bigint := cardinality(event_ids);
        first_position bigint;
        last_position bigint;
      BEGIN
        PERFORM pg_advisory_lock(lock_key);
        BEGIN
          IF EXISTS (
            SELECT 1 FROM unnest(es_append.stream_ids, es_append.revisions) AS p(stream_id, revision)
            GROUP BY p.stream_id
            HAVING min(p.revision) - 1 <> coalesce(
              (SELECT max(e.revision) FROM es_events e WHERE e.stream_id = p.stream_id), -1)
          )
          THEN
            PERFORM pg_advisory_unlock(lock_key);
            RETURN NULL;
          END IF;
          -- Only appenders move the sequence, under the lock: peek, mark in flight, then move it.
          SELECT CASE WHEN s.is_called THEN s.last_value + 1 ELSE s.last_value END
            INTO first_position FROM es_position_seq s;
          PERFORM pg_advisory_xact_lock_shared(${IN_FLIGHT_LOCK_CLASS},
            ((first_position % 4294967296) - 2147483648)::int4);
          last_position := setval('es_position_seq', first_position + written - 1);
          INSERT INTO es_events (position, event_id, stream_id, revision, category, type,
            schema_version, data, metadata)
          SELECT last_position - written + r.n, r.event_id, r.stream_id, r.revision, r.category,
            r.type, r.schema_version, r.data, r.metadata
          FROM unnest(es_append.event_ids, es_append.stream_ids, es_append.revisions,
            es_append.categories, es_append.types, es_append.schema_versions, es_append.data,
            es_append.metadata)
            WITH ORDINALITY AS r(event_id, stream_id, revision, category, type, schema_version,
              data, metadata, n);
          PERFORM pg_notify('${NOTIFY_CHANNEL}', last_position::text);
        EXCEPTION WHEN OTHERS OR query_canceled THEN
          PERFORM pg_advisory_unlock(lock_key);
          RAISE;
        END;
        PERFORM pg_advisory_unlock(lock_key);
        RETURN last_position;
      END
      $$;

      -- The highest position below which every append of this database has ended: the sequence
      -- as it is now, or just before the first position of the oldest append still in flight.
      -- A mark's key holds its position's low 32 bits (offset by 2^31 to fit an int4); a mark's
      -- position is within 2^31 of the sequence, which restores the rest.
      CREATE FUNCTION es_read_bound() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        assigned bigint;
        oldest bigint;
      BEGIN
        SELECT CASE WHEN s.is_called THEN s.last_value ELSE s.last_value - 1 END
          INTO assigned FROM es_position_seq s;
        SELECT min(assigned - ((((assigned - l.objid::bigint) % 4294967296) + 4294967296)
            % 4294967296 - 2147483648))
          INTO oldest
          FROM pg_locks l
          WHERE l.locktype = 'advisory' AND l.classid = ${IN_FLIGHT_LOCK_CLASS} AND l.objsubid = 2
            AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database());
        -- A mark taken after the sequence was read is past it (and bounds nothing here).
        RETURN least(coalesce(oldest - 1, assigned), assigned);
      END
      $$;
    `,
  },
  {
    version: 4,
    description:
      'audit indexes by correlation id and actor; es_append that keeps restored times and positions',
    // The auditors' trails (one correlation, one principal) are index range scans in log order.
    // es_append gains the recorded time and position an event had in the log it was exported
    // from, so a restore gives the log back as it was. NULL entries are assigned as usual; a given
    // position must lie beyond the end of the log, so a restore can only extend it, never reorder
    // it. The in-flight mark of migration 3 is kept: the mark is the first position written.
    sql: `
      CREATE INDEX es_events_correlation_position ON es_events ((metadata->>'correlationId'), position);
      CREATE INDEX es_events_actor_position ON es_events ((metadata->>'actor'), position);
      DROP FUNCTION es_append(text[], bigint[], uuid[], text[], text[], int[], json[], json[]);
      CREATE FUNCTION es_append(
        stream_ids text[], revisions bigint[], event_ids uuid[], categories text[],
        types text[], schema_versions int[], data json[], metadata json[],
        recorded_ats timestamptz[], given_positions bigint[]
      ) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        lock_key CONSTANT bigint := 7424171001;
        written CONSTANT bigint := cardinality(event_ids);
        first_position bigint;
        last_position bigint;
        log_end bigint;
      BEGIN
        PERFORM pg_advisory_lock(lock_key);
        BEGIN
          IF EXISTS (
            SELECT 1 FROM unnest(es_append.stream_ids, es_append.revisions) AS p(stream_id, revision)
            GROUP BY p.stream_id
            HAVING min(p.revision) - 1 <> coalesce(
              (SELECT max(e.revision) FROM es_events e WHERE e.stream_id = p.stream_id), -1)
          )
          THEN
            PERFORM pg_advisory_unlock(lock_key);
            RETURN NULL;
          END IF;
          IF given_positions[1] IS NOT NULL THEN
            log_end := coalesce((SELECT max(e.position) FROM es_events e), 0);
            IF given_positions[1] <= log_end OR EXISTS (
              SELECT 1 FROM unnest(given_positions) WITH ORDINALITY AS g(p, n)
              WHERE g.p IS NULL OR (g.n > 1 AND g.p <= given_positions[g.n - 1])
            ) THEN
              RAISE EXCEPTION 'restored positions must be increasing and beyond the end of the log (%)', log_end
                USING ERRCODE = '22023';
            END IF;
            first_position := given_positions[1];
          ELSE
            -- Only appenders move the sequence, under the lock: peek, mark in flight, then move it.
            SELECT CASE WHEN s.is_called THEN s.last_value + 1 ELSE s.last_value END
              INTO first_position FROM es_position_seq s;
          END IF;
          PERFORM pg_advisory_xact_lock_shared(${IN_FLIGHT_LOCK_CLASS},
            ((first_position % 4294967296) - 2147483648)::int4);
          IF given_positions[1] IS NOT NULL THEN
            last_position := given_positions[written];
            PERFORM setval('es_position_seq', greatest(last_position,
              (SELECT CASE WHEN s.is_called THEN s.last_value ELSE s.last_value - 1 END
                 FROM es_position_seq s)));
          ELSE
            last_position := setval('es_position_seq', first_position + written - 1);
          END IF;
          INSERT INTO es_events (position, event_id, stream_id, revision, category, type,
            schema_version, data, metadata, recorded_at)
          SELECT coalesce(r.given_position, last_position - written + r.n), r.event_id, r.stream_id,
            r.revision, r.category, r.type, r.schema_version, r.data, r.metadata,
            coalesce(r.recorded_at, now())
          FROM unnest(es_append.event_ids, es_append.stream_ids, es_append.revisions,
            es_append.categories, es_append.types, es_append.schema_versions, es_append.data,
            es_append.metadata, es_append.recorded_ats, es_append.given_positions)
            WITH ORDINALITY AS r(event_id, stream_id, revision, category, type, schema_version,
              data, metadata, recorded_at, given_position, n);
          PERFORM pg_notify('${NOTIFY_CHANNEL}', last_position::text);
        EXCEPTION WHEN OTHERS OR query_canceled THEN
          PERFORM pg_advisory_unlock(lock_key);
          RAISE;
        END;
        PERFORM pg_advisory_unlock(lock_key);
        RETURN last_position;
      END
      $$;
    `,
  },
  {
    version: 5,
    description: 'es_append without NOTIFY: appending commits share their WAL flushes again',
    // A NOTIFY in the appending transaction takes a server-wide lock at commit and holds it
    // through the commit's flush, so concurrent appends committed one flush at a time (8
    // one-event writers: 0.22 of 8 bare INSERTers, waiting on Lock:object). The store now
    // notifies after the commit, in a statement of its own (AppendNotifier). Otherwise as in
    // migration 4.
    sql: `
      CREATE OR REPLACE FUNCTION es_append(
        stream_ids text[], revisions bigint[], event_ids uuid[], categories text[],
        types text[], schema_versions int[], data json[], metadata json[],
        recorded_ats timestamptz[], given_positions bigint[]
      ) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        lock_key CONSTANT bigint := 7424171001;
        written CONSTANT bigint := cardinality(event_ids);
        first_position bigint;
        last_position bigint;
        log_end bigint;
      BEGIN
        PERFORM pg_advisory_lock(lock_key);
        BEGIN
          IF EXISTS (
            SELECT 1 FROM unnest(es_append.stream_ids, es_append.revisions) AS p(stream_id, revision)
            GROUP BY p.stream_id
            HAVING min(p.revision) - 1 <> coalesce(
              (SELECT max(e.revision) FROM es_events e WHERE e.stream_id = p.stream_id), -1)
          )
          THEN
            PERFORM pg_advisory_unlock(lock_key);
            RETURN NULL;
          END IF;
          IF given_positions[1] IS NOT NULL THEN
            log_end := coalesce((SELECT max(e.position) FROM es_events e), 0);
            IF given_positions[1] <= log_end OR EXISTS (
              SELECT 1 FROM unnest(given_positions) WITH ORDINALITY AS g(p, n)
              WHERE g.p IS NULL OR (g.n > 1 AND g.p <= given_positions[g.n - 1])
            ) THEN
              RAISE EXCEPTION 'restored positions must be increasing and beyond the end of the log (%)', log_end
                USING ERRCODE = '22023';
            END IF;
            first_position := given_positions[1];
          ELSE
            -- Only appenders move the sequence, under the lock: peek, mark in flight, then move it.
            SELECT CASE WHEN s.is_called THEN s.last_value + 1 ELSE s.last_value END
              INTO first_position FROM es_position_seq s;
          END IF;
          PERFORM pg_advisory_xact_lock_shared(${IN_FLIGHT_LOCK_CLASS},
            ((first_position % 4294967296) - 2147483648)::int4);
          IF given_positions[1] IS NOT NULL THEN
            last_position := given_positions[written];
            PERFORM setval('es_position_seq', greatest(last_position,
              (SELECT CASE WHEN s.is_called THEN s.last_value ELSE s.last_value - 1 END
                 FROM es_position_seq s)));
          ELSE
            last_position := setval('es_position_seq', first_position + written - 1);
          END IF;
          INSERT INTO es_events (position, event_id, stream_id, revision, category, type,
            schema_version, data, metadata, recorded_at)
          SELECT coalesce(r.given_position, last_position - written + r.n), r.event_id, r.stream_id,
            r.revision, r.category, r.type, r.schema_version, r.data, r.metadata,
            coalesce(r.recorded_at, now())
          FROM unnest(es_append.event_ids, es_append.stream_ids, es_append.revisions,
            es_append.categories, es_append.types, es_append.schema_versions, es_append.data,
            es_append.metadata, es_append.recorded_ats, es_append.given_positions)
            WITH ORDINALITY AS r(event_id, stream_id, revision, category, type, schema_version,
              data, metadata, recorded_at, given_position, n);
        EXCEPTION WHEN OTHERS OR query_canceled THEN
          PERFORM pg_advisory_unlock(lock_key);
          RAISE;
        END;
        PERFORM pg_advisory_unlock(lock_key);
        RETURN last_position;
      END
      $$;
    `,
  },
  {
    version: 6,
    description: 'es_append_events: appends without the append lock no longer queue',
    // The session lock of migrations 2 to 5 made appends take turns: 8 one-event writers spent
    // their time waiting on Lock:advisory, and each turn paid a subtransaction (the EXCEPTION
    // block that released the lock on error). Without it, many appends check, take positions
    // and insert at once, and only their commits' flushes are shared.
    //
    // A new name, and es_append now refuses: a process of an earlier build would take positions
    // under the old lock beside appends that no longer take it (the same position twice), and
    // would read the new result wrongly after its commit. It fails before writing anything,
    // saying why, until it is replaced.
    //
    // The in-flight mark now carries a lower bound of the append's positions rather than its
    // first position: the last position taken, read before the mark, plus one. The mark is taken
    // before nextval, so a reader that sees a position in the sequence sees its mark, or the
    // append has ended (see SqlEventStore). Positions come from nextval one by one, so a batch
    // is increasing but no longer contiguous when appends run together: the function returns
    // them all.
    //
    // Without the lock, the check against what has committed can be passed by two appends to
    // one stream at once: the unique (stream_id, revision) index then refuses the second, as
    // it refused a row committed after the check before. A restore (given positions) must lie
    // beyond every position taken, committed or not: it takes the table from every other append
    // (SHARE ROW EXCLUSIVE, which a plain append's ROW EXCLUSIVE conflicts with, readers' ACCESS
    // SHARE does not), then reads the sequence and moves it past its positions.
    sql: `
      CREATE OR REPLACE FUNCTION es_append(
        stream_ids text[], revisions bigint[], event_ids uuid[], categories text[],
        types text[], schema_versions int[], data json[], metadata json[],
        recorded_ats timestamptz[], given_positions bigint[]
      ) RETURNS bigint LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'es_append is retired by event store migration 6 (es_append_events): this process runs an older build; replace it'
          USING ERRCODE = '0A000';
      END
      $$;
      CREATE FUNCTION es_append_events(
        stream_ids text[], revisions bigint[], event_ids uuid[], categories text[],
        types text[], schema_versions int[], data json[], metadata json[],
        recorded_ats timestamptz[], given_positions bigint[]
      ) RETURNS bigint[] LANGUAGE plpgsql AS $$
      DECLARE
        written CONSTANT int := cardinality(event_ids);
        taken bigint;
        positions bigint[];
      BEGIN
        -- A stream behind the revision the plan starts from; one already past it fails on the
        -- unique (stream_id, revision) index below, as does an event id already stored.
        IF EXISTS (
          SELECT 1
          FROM unnest(es_append_events.stream_ids, es_append_events.revisions) AS p(stream_id, revision)
          GROUP BY p.stream_id
          HAVING min(p.revision) - 1 <> coalesce(
            (SELECT max(e.revision) FROM es_events e WHERE e.stream_id = p.stream_id), -1)
        )
        THEN
          RETURN NULL;
        END IF;
        IF given_positions[1] IS NULL THEN
          LOCK TABLE es_events IN ROW EXCLUSIVE MODE;
        ELSE
          LOCK TABLE es_events IN SHARE ROW EXCLUSIVE MODE;
        END IF;
        SELECT CASE WHEN s.is_called THEN s.last_value ELSE s.last_value - 1 END
          INTO taken FROM es_position_seq s;
        IF given_positions[1] IS NULL THEN
          PERFORM pg_advisory_xact_lock_shared(${IN_FLIGHT_LOCK_CLASS},
            (((taken + 1) % 4294967296) - 2147483648)::int4);
          IF written = 1 THEN
            positions := ARRAY[nextval('es_position_seq')];
          ELSE
            positions := ARRAY(SELECT p.position
              FROM (SELECT nextval('es_position_seq') AS position FROM generate_series(1, written)) p
              ORDER BY p.position);
          END IF;
        ELSE
          IF given_positions[1] <= taken OR EXISTS (
            SELECT 1 FROM unnest(given_positions) WITH ORDINALITY AS g(p, n)
            WHERE g.p IS NULL OR (g.n > 1 AND g.p <= given_positions[g.n - 1])
          ) THEN
            RAISE EXCEPTION 'restored positions must be increasing and beyond the last position taken (%)', taken
              USING ERRCODE = '22023';
          END IF;
          PERFORM pg_advisory_xact_lock_shared(${IN_FLIGHT_LOCK_CLASS},
            ((given_positions[1] % 4294967296) - 2147483648)::int4);
          positions := given_positions;
          PERFORM setval('es_position_seq', positions[written]);
        END IF;
        INSERT INTO es_events (position, event_id, stream_id, revision, category, type,
          schema_version, data, metadata, recorded_at)
        SELECT r.position, r.event_id, r.stream_id, r.revision, r.category, r.type,
          r.schema_version, r.data, r.metadata, coalesce(r.recorded_at, now())
        FROM unnest(positions, es_append_events.event_ids, es_append_events.stream_ids,
          es_append_events.revisions, es_append_events.categories, es_append_events.types,
          es_append_events.schema_versions, es_append_events.data, es_append_events.metadata,
          es_append_events.recorded_ats)
          AS r(position, event_id, stream_id, revision, category, type, schema_version, data,
            metadata, recorded_at);
        RETURN positions;
      END
      $$;
    `,
  },
];

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { migrate, type Migration } from '../../eventstore/sql/migrations';
import type { SqlClient } from '../../eventstore/sql/sql-client';
import { SQL_CLIENT } from '../../tokens';
import { IdempotencyInProgressError, IdempotencyKeyReusedError } from './idempotency.errors';

export const IDEMPOTENCY_OPTIONS = Symbol('IdempotencyOptions');

export interface IdempotencyOptions {
  /** A key and its stored response are forgotten this long after the key's first claim. */
  keyTtlHours: number;
  /** Rows deleted per statement when expired keys are purged: short transactions. */
  purgeChunk?: number;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as sent (JSON text): a replay sends these very bytes, keys in their order. */
  body: string;
}

/** What a request's events are made of besides its body: the same for every attempt of a key. */
export interface RequestContext {
  requestId: string;
  correlationId: string;
  receivedAt: number;
}

export type Claim =
  /** `resumed`: an earlier attempt died or failed, and may have written; `context` is its own. */
  | { kind: 'claimed'; resumed: boolean; context: RequestContext }
  | { kind: 'replay'; response: StoredResponse };

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'idempotency keys of HTTP commands and their first response',
    sql: `CREATE TABLE public.http_idempotency_keys (
      idempotency_key text PRIMARY KEY,
      request_hash text NOT NULL,
      claimed_at timestamptz NOT NULL DEFAULT now(),
      status int,
      response_headers jsonb,
      response_body jsonb,
      completed_at timestamptz
    )`,
  },
  {
    version: 2,
    description: 'claim a key in one call, without waiting for a flush to disk',
    // The claim commits without waiting for its WAL to reach the disk (one flush less per
    // command). A later synchronous commit on this server flushes the WAL up to it: the events'
    // append when they are stored here, the stored response in any case. So a claim can only be
    // lost in a crash before its response was stored, and the retry is then decided afresh, as
    // it already is after a crash between the append and the stored response. On a conflict the
    // existing claim comes back from the same call (no row: released meanwhile).
    sql: `CREATE FUNCTION public.http_idempotency_claim(key text, hash text, abandoned_after interval)
    RETURNS TABLE (claimed boolean, request_hash text, status int, response_headers jsonb,
      response_body jsonb, abandoned boolean)
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM set_config('synchronous_commit', 'off', true);
      INSERT INTO public.http_idempotency_keys (idempotency_key, request_hash)
        VALUES (key, hash) ON CONFLICT (idempotency_key) DO NOTHING;
      IF FOUND THEN
        RETURN QUERY SELECT true, hash, NULL::int, NULL::jsonb, NULL::jsonb, false;
      ELSE
        RETURN QUERY SELECT false, k.request_hash, k.status, k.response_headers, k.response_body,
            k.claimed_at < now() - abandoned_after
          FROM public.http_idempotency_keys k WHERE k.idempotency_key = key;
      END IF;
    END
    $$`,
  },
  {
    version: 3,
    description: 'keys expire: a claim replaces an expired key, a BRIN index finds them to purge',
    // A key past its time to live is a new key, whether or not the purge has removed it yet, so
    // the answer does not depend on when the purge last ran. BRIN: claimed_at grows with the
    // insertion order, and the index costs next to nothing per claim.
    sql: `DROP FUNCTION public.http_idempotency_claim(text, text, interval);
    CREATE INDEX http_idempotency_keys_claimed_at ON public.http_idempotency_keys
      USING brin (claimed_at);
    CREATE FUNCTION public.http_idempotency_claim(
      key text, hash text, abandoned_after interval, expire_after interval)
    RETURNS TABLE (claimed boolean, request_hash text, status int, response_headers jsonb,
      response_body jsonb, abandoned boolean)
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM set_config('synchronous_commit', 'off', true);
      INSERT INTO public.http_idempotency_keys AS k (idempotency_key, request_hash)
        VALUES (key, hash)
        ON CONFLICT (idempotency_key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, claimed_at = now(), status = NULL,
            response_headers = NULL, response_body = NULL, completed_at = NULL
          WHERE k.claimed_at < now() - expire_after;
      IF FOUND THEN
        RETURN QUERY SELECT true, hash, NULL::int, NULL::jsonb, NULL::jsonb, false;
      ELSE
        RETURN QUERY SELECT false, k.request_hash, k.status, k.response_headers, k.response_body,
            k.claimed_at < now() - abandoned_after
          FROM public.http_idempotency_keys k WHERE k.idempotency_key = key;
      END IF;
    END
    $$`,
  },
  {
    version: 4,
    description: 'a claim names its owning process and the ids of its first attempt',
    // An owner is a running process that renews its row; a claim whose owner stopped renewing
    // died with it and is taken over at once: a keyed command derives its ids from the key, so
    // a re-run writes nothing twice. The first attempt's context (its time and request ids)
    // goes to the re-run, whose events are then identical to any the first one wrote.
    sql: `CREATE TABLE public.http_idempotency_owners (
      owner_id uuid PRIMARY KEY,
      seen_at timestamptz NOT NULL DEFAULT now()
    );
    ALTER TABLE public.http_idempotency_keys ADD COLUMN owner_id uuid, ADD COLUMN context jsonb;
    DROP FUNCTION public.http_idempotency_claim(text, text, interval, interval);
    CREATE FUNCTION public.http_idempotency_claim(
      key text, hash text, owner uuid, ctx jsonb, owner_gone_after interval, expire_after interval)
    RETURNS TABLE (claimed boolean, request_hash text, status int, response_headers jsonb,
      response_body jsonb, abandoned boolean, context jsonb)
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM set_config('synchronous_commit', 'off', true);
      INSERT INTO public.http_idempotency_keys AS k (idempotency_key, request_hash, owner_id, context)
        VALUES (key, hash, owner, ctx)
        ON CONFLICT (idempotency_key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, claimed_at = now(), status = NULL,
            response_headers = NULL, response_body = NULL, completed_at = NULL,
            owner_id = EXCLUDED.owner_id, context = EXCLUDED.context
          WHERE k.claimed_at < now() - expire_after;
      IF FOUND THEN
        RETURN QUERY SELECT true, hash, NULL::int, NULL::jsonb, NULL::jsonb, false, ctx;
      ELSE
        RETURN QUERY SELECT false, k.request_hash, k.status, k.response_headers, k.response_body,
            NOT EXISTS (SELECT 1 FROM public.http_idempotency_owners o
              WHERE o.owner_id = k.owner_id AND o.seen_at >= now() - owner_gone_after),
            k.context
          FROM public.http_idempotency_keys k WHERE k.idempotency_key = key;
      END IF;
    END
    $$`,
  },
  {
    version: 5,
    description: "a response's body kept as the text that was sent",
    // jsonb orders an object's keys its own way: a replay must send the first response's bytes.
    sql: `ALTER TABLE public.http_idempotency_keys ADD COLUMN response_text text;
    DROP FUNCTION public.http_idempotency_claim(text, text, uuid, jsonb, interval, interval);
    CREATE FUNCTION public.http_idempotency_claim(
      key text, hash text, owner uuid, ctx jsonb, owner_gone_after interval, expire_after interval)
    RETURNS TABLE (claimed boolean, request_hash text, status int, response_headers jsonb,
      response_body jsonb, response_text text, abandoned boolean, context jsonb)
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM set_config('synchronous_commit', 'off', true);
      INSERT INTO public.http_idempotency_keys AS k (idempotency_key, request_hash, owner_id, context)
        VALUES (key, hash, owner, ctx)
        ON CONFLICT (idempotency_key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, claimed_at = now(), status = NULL,
            response_headers = NULL, response_body = NULL, response_text = NULL,
            completed_at = NULL, owner_id = EXCLUDED.owner_id, context = EXCLUDED.context
          WHERE k.claimed_at < now() - expire_after;
      IF FOUND THEN
        RETURN QUERY SELECT true, hash, NULL::int, NULL::jsonb, NULL::jsonb, NULL::text, false, ctx;
      ELSE
        RETURN QUERY SELECT false, k.request_hash, k.status, k.response_headers, k.response_body,
            k.response_text,
            NOT EXISTS (SELECT 1 FROM public.http_idempotency_owners o
              WHERE o.owner_id = k.owner_id AND o.seen_at >= now() - owner_gone_after),
            k.context
          FROM public.http_idempotency_keys k WHERE k.idempotency_key = key;
      END IF;
    END
    $$`,
  },
];

/** How long a duplicate waits for the first request's response before it gets a 409. */
const WAIT_MS = 10_000;
const POLL_MS = 15;
/**
 * A process renews its owner row this often; one not renewed for OWNER_GONE_AFTER has died, and
 * its claims are taken over. Taking over a live one's claim early (a stalled process) is safe
 * too: the re-run derives the same event ids, so the store writes its events once.
 */
const HEARTBEAT_MS = 500;
const OWNER_GONE_AFTER = '2 seconds';
/** How often expired keys are purged; the first purge runs soon after start. */
const PURGE_EVERY_MS = 10 * 60_000;
const FIRST_PURGE_AFTER_MS = 5_000;

interface ClaimRow {
  claimed: boolean;
  request_hash: string;
  status: number | null;
  response_headers: Record<string, string> | null;
  /** Null for a response stored by a build before migration 5: its jsonb body is used. */
  response_body: unknown;
  response_text: string | null;
  abandoned: boolean;
  context: RequestContext | null;
}

/**
 * Idempotency keys in the SQL database (PostgreSQL or PGlite, whichever holds the read models,
 * so it works whatever the event store is). A request claims its key with an insert that only
 * one of any number of concurrent duplicates wins; the others wait for the winner's response.
 * The response is stored after the append, in another transaction, while it is sent: a crash
 * before it is stored leaves a claim whose owner stops renewing its row, and a retry takes it
 * over within OWNER_GONE_AFTER. The re-run derives its ids from the key and the request (see
 * `IdempotencyInterceptor`), so whatever the dead attempt wrote is answered, not written again.
 * Keys expire `keyTtlHours` after their first claim: a retry later than that is a new request
 * (clients retry within minutes, not days), and the table does not grow without bound.
 */
@Injectable()
export class IdempotencyStore
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('IdempotencyStore');
  private readonly expireAfter: string;
  private readonly purgeChunk: number;
  private purgeTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeat: Promise<unknown> = Promise.resolve();
  /** This process, as the owner of the claims it makes. */
  private readonly ownerId = randomUUID();
  private purging: Promise<unknown> = Promise.resolve();
  /** Outcomes being written after their response went out (see `record`). */
  private readonly recording = new Set<Promise<void>>();
  /** Responses sent and not yet in a batch being stored, by key. */
  private readonly unstored = new Map<string, StoredResponse>();
  private storing: Promise<void> | undefined;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(IDEMPOTENCY_OPTIONS) options: IdempotencyOptions,
  ) {
    this.expireAfter = `${options.keyTtlHours} hours`;
    this.purgeChunk = options.purgeChunk ?? 10_000;
  }

  async onModuleInit(): Promise<void> {
    await migrate(this.sql, 'idempotency', MIGRATIONS);
    await this.renewOwner();
    let failing = false;
    const beat = () => {
      this.heartbeat = this.renewOwner().then(
        () => (failing = false),
        (error: unknown) => {
          // Once per outage: a missed beat only lets a duplicate take over, which is safe.
          if (!failing) this.logger.warn(`idempotency heartbeat failed: ${messageOf(error)}`);
          failing = true;
        },
      );
      this.heartbeatTimer = setTimeout(() => void this.heartbeat.then(beat), HEARTBEAT_MS).unref();
    };
    this.heartbeatTimer = setTimeout(beat, HEARTBEAT_MS).unref();
  }

  private async renewOwner(): Promise<void> {
    await this.sql.query(
      `INSERT INTO public.http_idempotency_owners (owner_id) VALUES ($1)
       ON CONFLICT (owner_id) DO UPDATE SET seen_at = now()`,
      [this.ownerId],
    );
  }

  /** The running service purges now and then in the background. */
  onApplicationBootstrap(): void {
    const run = () => {
      this.purging = this.purgeExpired().then(
        (purged) => purged > 0 && this.logger.log(`purged ${purged} expired idempotency keys`),
        (error: unknown) =>
          this.logger.error(
            `purging expired idempotency keys failed (next try in ${PURGE_EVERY_MS / 60_000} min): ${
              error instanceof Error ? error.message : String(error)
            }`,
          ),
      );
      this.purgeTimer = setTimeout(run, PURGE_EVERY_MS).unref();
    };
    this.purgeTimer = setTimeout(run, FIRST_PURGE_AFTER_MS).unref();
  }

  /** After the HTTP server has stopped, so that no request records an outcome later. */
  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.purgeTimer);
    await Promise.all([this.purging, ...this.recording]);
    clearTimeout(this.heartbeatTimer);
    await this.heartbeat;
    // Every outcome is kept: the claims left (none, unless a write failed) are free at once.
    await this.sql
      .query('DELETE FROM public.http_idempotency_owners WHERE owner_id = $1', [this.ownerId])
      .catch((error: unknown) => this.logger.warn(`removing the owner row: ${messageOf(error)}`));
  }

  /** Deletes the expired keys, a chunk per statement; returns how many. */
  async purgeExpired(): Promise<number> {
    let purged = 0;
    for (;;) {
      const rows = await this.sql.query<{ n: number }>(
        `WITH expired AS (
           DELETE FROM public.http_idempotency_keys
           WHERE ctid = ANY (ARRAY(
             SELECT ctid FROM public.http_idempotency_keys
             WHERE claimed_at < now() - $1::interval LIMIT $2))
           RETURNING 1)
         SELECT count(*)::int AS n FROM expired`,
        [this.expireAfter, this.purgeChunk],
      );
      const n = rows[0]?.n ?? 0;
      purged += n;
      if (n < this.purgeChunk) break;
    }
    // Owners that died long ago: their claims are as free without the row.
    await this.sql.query(
      `DELETE FROM public.http_idempotency_owners WHERE seen_at < now() - interval '1 hour'`,
    );
    return purged;
  }

  /**
   * Claims `key` for this request, or answers the response stored for it. A duplicate of a
   * request still running in a live process waits for its response (409 after WAIT_MS); one whose
   * first attempt died or failed on the server's side takes the claim over at once, with that
   * attempt's context.
   */
  async claim(key: string, requestHash: string, context: RequestContext): Promise<Claim> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const [row] = await this.sql.query<ClaimRow>(
        'SELECT * FROM public.http_idempotency_claim($1, $2, $3, $4::jsonb, $5::interval, $6::interval)',
        [
          key,
          requestHash,
          this.ownerId,
          JSON.stringify(context),
          OWNER_GONE_AFTER,
          this.expireAfter,
        ],
      );
      // Purged as expired between its insert and its look: again.
      if (row === undefined) continue;
      if (row.claimed) return { kind: 'claimed', resumed: false, context };
      if (row.request_hash !== requestHash) throw new IdempotencyKeyReusedError(key);
      if (row.status !== null) {
        const response = { status: row.status, headers: row.response_headers ?? {} };
        const body = row.response_text ?? JSON.stringify(row.response_body);
        return { kind: 'replay', response: { ...response, body } };
      }
      if (row.abandoned && (await this.takeOver(key))) {
        return { kind: 'claimed', resumed: true, context: row.context ?? context };
      }
      if (Date.now() >= deadline) throw new IdempotencyInProgressError(key);
      await sleep(POLL_MS);
    }
  }

  /**
   * Keeps a request's outcome for its key without holding its response back: the response is
   * stored (or, after a 5xx, the key released) while it is on its way, and shutdown waits for
   * every such write. A duplicate that arrives meanwhile finds the claim and waits for it. A crash
   * before the write commits leaves the claim to be taken over, as a crash between the append
   * and this write always could; a write that fails is logged and ends the same way.
   *
   * Responses are stored in batches: those recorded while one batch is being written go in the
   * next, so under load many commands share one statement (one round trip instead of one each),
   * and a lone command's response waits for nothing but the end of the current event-loop turn.
   */
  record(key: string, response: StoredResponse): void {
    if (response.status >= 500) {
      this.track(this.release(key).catch((error: unknown) => this.logLost([key], error)));
      return;
    }
    this.unstored.set(key, response);
    if (this.storing === undefined) {
      this.storing = this.storeUnstored().finally(() => (this.storing = undefined));
      this.track(this.storing);
    }
  }

  private async storeUnstored(): Promise<void> {
    // The responses sent in this same turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.unstored.size > 0) {
      const batch = [...this.unstored];
      this.unstored.clear();
      await this.completeAll(batch).catch((error: unknown) =>
        this.logLost(
          batch.map(([key]) => key),
          error,
        ),
      );
    }
  }

  private track(write: Promise<void>): void {
    this.recording.add(write);
    void write.finally(() => this.recording.delete(write));
  }

  private logLost(keys: string[], error: unknown): void {
    for (const key of keys) {
      this.logger.error(`idempotency key ${key}: keeping its outcome failed: ${messageOf(error)}`);
    }
  }

  async complete(key: string, response: StoredResponse): Promise<void> {
    await this.completeAll([[key, response]]);
  }

  private async completeAll(outcomes: Array<[string, StoredResponse]>): Promise<void> {
    await this.sql.query(
      `UPDATE public.http_idempotency_keys k
       SET status = o.status, response_headers = o.headers::jsonb, response_text = o.body,
         completed_at = now()
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[]) AS o(key, status, headers, body)
       WHERE k.idempotency_key = o.key`,
      [
        outcomes.map(([key]) => key),
        outcomes.map(([, r]) => r.status),
        outcomes.map(([, r]) => JSON.stringify(r.headers)),
        outcomes.map(([, r]) => r.body),
      ],
    );
  }

  /**
   * Frees a claim whose request failed on the server's side (it may have written before it
   * failed): the next attempt takes it over at once, as it would a dead process's.
   */
  async release(key: string): Promise<void> {
    await this.sql.query(
      `UPDATE public.http_idempotency_keys SET owner_id = NULL
       WHERE idempotency_key = $1 AND status IS NULL AND owner_id = $2`,
      [key, this.ownerId],
    );
  }

  /** One of any number of concurrent duplicates wins: the owner it replaces must still be gone. */
  private async takeOver(key: string): Promise<boolean> {
    const taken = await this.sql.query(
      `UPDATE public.http_idempotency_keys k SET owner_id = $2
       WHERE k.idempotency_key = $1 AND k.status IS NULL
         AND NOT EXISTS (SELECT 1 FROM public.http_idempotency_owners o
           WHERE o.owner_id = k.owner_id AND o.seen_at >= now() - $3::interval)
       RETURNING 1`,
      [key, this.ownerId, OWNER_GONE_AFTER],
    );
    return taken.length > 0;
  }
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

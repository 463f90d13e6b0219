import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { migrate, type Migration } from '../../eventstore/sql/migrations';
import type { SqlClient } from '../../eventstore/sql/sql-client';
import { SQL_CLIENT } from '../../tokens';
import { IdempotencyInProgressError, IdempotencyKeyReusedError } from './idempotency.errors';

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type Claim = { kind: 'claimed' } | { kind: 'replay'; response: StoredResponse };

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
];

/** How long a duplicate waits for the first request's response before it gets a 409. */
const WAIT_MS = 10_000;
const POLL_MS = 15;
/** A claim this old without a response belongs to a process that died mid-request. */
const ABANDONED_AFTER = '60 seconds';

interface ClaimRow {
  claimed: boolean;
  request_hash: string;
  status: number | null;
  response_headers: Record<string, string> | null;
  response_body: unknown;
  abandoned: boolean;
}

/**
 * Idempotency keys in the SQL database (PostgreSQL or PGlite, whichever holds the read models,
 * so it works whatever the event store is). A request claims its key with an insert that only
 * one of any number of concurrent duplicates wins; the others wait for the winner's response.
 * The response is stored after the append, in another transaction: a crash in between leaves
 * a claim that is taken over after ABANDONED_AFTER, and the retry is then decided afresh.
 */
@Injectable()
export class IdempotencyStore implements OnModuleInit {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async onModuleInit(): Promise<void> {
    await migrate(this.sql, 'idempotency', MIGRATIONS);
  }

  async claim(key: string, requestHash: string): Promise<Claim> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const [row] = await this.sql.query<ClaimRow>(
        'SELECT * FROM public.http_idempotency_claim($1, $2, $3::interval)',
        [key, requestHash, ABANDONED_AFTER],
      );
      // Released (the first attempt failed with a 5xx) between its insert and its look: again.
      if (row === undefined) continue;
      if (row.claimed) return { kind: 'claimed' };
      if (row.request_hash !== requestHash) throw new IdempotencyKeyReusedError(key);
      if (row.status !== null) {
        const response = { status: row.status, headers: row.response_headers ?? {} };
        return { kind: 'replay', response: { ...response, body: row.response_body } };
      }
      if (row.abandoned && (await this.takeOver(key))) return { kind: 'claimed' };
      if (Date.now() >= deadline) throw new IdempotencyInProgressError(key);
      await sleep(POLL_MS);
    }
  }

  async complete(key: string, response: StoredResponse): Promise<void> {
    await this.sql.query(
      `UPDATE public.http_idempotency_keys
       SET status = $2, response_headers = $3::jsonb, response_body = $4::jsonb, completed_at = now()
       WHERE idempotency_key = $1`,
      [key, response.status, JSON.stringify(response.headers), JSON.stringify(response.body)],
    );
  }

  /** Forgets a claim whose request failed on the server's side, so that a retry runs it again. */
  async release(key: string): Promise<void> {
    await this.sql.query(
      'DELETE FROM public.http_idempotency_keys WHERE idempotency_key = $1 AND status IS NULL',
      [key],
    );
  }

  private async takeOver(key: string): Promise<boolean> {
    const taken = await this.sql.query(
      `UPDATE public.http_idempotency_keys SET claimed_at = now()
       WHERE idempotency_key = $1 AND status IS NULL AND claimed_at < now() - $2::interval
       RETURNING 1`,
      [key, ABANDONED_AFTER],
    );
    return taken.length > 0;
  }
}

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
];

/** How long a duplicate waits for the first request's response before it gets a 409. */
const WAIT_MS = 10_000;
const POLL_MS = 15;
/** A claim this old without a response belongs to a process that died mid-request. */
const ABANDONED_AFTER = '60 seconds';

interface KeyRow {
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
      const inserted = await this.sql.query(
        `INSERT INTO public.http_idempotency_keys (idempotency_key, request_hash)
         VALUES ($1, $2) ON CONFLICT (idempotency_key) DO NOTHING RETURNING 1`,
        [key, requestHash],
      );
      if (inserted.length > 0) return { kind: 'claimed' };
      const [row] = await this.sql.query<KeyRow>(
        `SELECT request_hash, status, response_headers, response_body,
                claimed_at < now() - $2::interval AS abandoned
         FROM public.http_idempotency_keys WHERE idempotency_key = $1`,
        [key, ABANDONED_AFTER],
      );
      // Released (the first attempt failed with a 5xx) between the two statements: claim again.
      if (row === undefined) continue;
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

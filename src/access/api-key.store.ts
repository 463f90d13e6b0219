import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../eventstore/sql/sql-client';
import { hashOfSecret, newApiKeySecret, sameHash } from './api-key-secret';
import { ensureApiKeysSchema } from './api-keys.schema';
import type { Role } from './roles';

/** A key as listed: never its secret, nor its hash. */
export interface ApiKey {
  id: string;
  name: string;
  roles: Role[];
  createdAt: string;
  revokedAt: string | null;
}

/** A key just made: the only moment its secret exists outside the caller's hands. */
export interface IssuedApiKey extends ApiKey {
  secret: string;
}

interface KeyRow {
  id: string;
  name: string;
  roles: Role[];
  secret_sha256: string;
  created_at: string;
  revoked_at: string | null;
}

const COLUMNS = `id::text, name, roles, secret_sha256,
  to_json(created_at) #>> '{}' AS created_at, to_json(revoked_at) #>> '{}' AS revoked_at`;

const toKey = (row: KeyRow): ApiKey => ({
  id: row.id,
  name: row.name,
  roles: row.roles,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** The API keys, kept as SHA-256 of their secrets in `access.api_keys`. */
export class ApiKeyStore {
  private constructor(private readonly sql: SqlClient) {}

  static async open(sql: SqlClient): Promise<ApiKeyStore> {
    await ensureApiKeysSchema(sql);
    return new ApiKeyStore(sql);
  }

  /** A new key with a new random secret. */
  create(name: string, roles: Role[]): Promise<IssuedApiKey> {
    return this.insert(name, roles, newApiKeySecret());
  }

  /** A key whose secret the operator chose (SUPPLIER_TASKS_ADMIN_KEY); nothing when it exists. */
  async ensure(name: string, roles: Role[], secret: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO access.api_keys (id, name, roles, secret_sha256) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (secret_sha256) DO NOTHING`,
      [randomUUID(), name, JSON.stringify(roles), hashOfSecret(secret).toString('hex')],
    );
  }

  async list(): Promise<ApiKey[]> {
    const rows = await this.sql.query<KeyRow>(
      `SELECT ${COLUMNS} FROM access.api_keys ORDER BY created_at, id`,
    );
    return rows.map(toKey);
  }

  async count(): Promise<number> {
    const [row] = await this.sql.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM access.api_keys',
    );
    return Number(row?.n ?? 0);
  }

  /** The key was revoked now, or had been; undefined when there is no such key. */
  async revoke(id: string): Promise<ApiKey | undefined> {
    const [row] = await this.sql.query<KeyRow>(
      `UPDATE access.api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
       RETURNING ${COLUMNS}`,
      [id],
    );
    return row === undefined ? undefined : toKey(row);
  }

  /** The live key of a secret; undefined for an unknown or revoked one. */
  async authenticate(secret: string): Promise<ApiKey | undefined> {
    const hash = hashOfSecret(secret);
    const [row] = await this.sql.query<KeyRow>(
      `SELECT ${COLUMNS} FROM access.api_keys WHERE secret_sha256 = $1`,
      [hash.toString('hex')],
    );
    if (row === undefined || !sameHash(Buffer.from(row.secret_sha256, 'hex'), hash)) return;
    return row.revoked_at === null ? toKey(row) : undefined;
  }

  private async insert(name: string, roles: Role[], secret: string): Promise<IssuedApiKey> {
    const [row] = await this.sql.query<KeyRow>(
      `INSERT INTO access.api_keys (id, name, roles, secret_sha256) VALUES ($1, $2, $3::jsonb, $4)
       RETURNING ${COLUMNS}`,
      [randomUUID(), name, JSON.stringify(roles), hashOfSecret(secret).toString('hex')],
    );
    if (row === undefined) throw new Error('the key was not stored');
    return { ...toKey(row), secret };
  }
}

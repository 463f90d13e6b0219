import { LRUCache } from 'lru-cache';
import type { SqlClient } from '../eventstore/sql/sql-client';
import { hashOfSecret } from './api-key-secret';
import type { ApiKey, ApiKeyStore } from './api-key.store';
import { KEYS_CHANGED_CHANNEL } from './api-keys.schema';

/**
 * A backstop only: every change to a key is announced (KEYS_CHANGED_CHANNEL) and empties the
 * cache at once; this bounds how long a key stays usable should an announcement be missed.
 */
const KEPT_MS = 10_000;
const KEYS_KEPT = 10_000;

/**
 * The live keys that authenticated lately, by the hash of their secret, so that a request costs
 * no lookup in the keys' table (it was a quarter of a command's round trips to the database).
 * Revoking a key anywhere (this service, the CLI, another process) announces it in the database,
 * and the announcement empties the cache; a revocation made here empties it before answering.
 * Unknown and revoked secrets are never kept, so a guessed secret is always looked up.
 */
export class KeyAuthenticator {
  private readonly live = new LRUCache<string, ApiKey>({ max: KEYS_KEPT, ttl: KEPT_MS });
  /** Moves on at every change: a lookup that began before one must not keep what it read. */
  private generation = 0;
  private unlisten: (() => Promise<void>) | undefined;

  private constructor(private readonly store: ApiKeyStore) {}

  static async open(store: ApiKeyStore, sql: SqlClient): Promise<KeyAuthenticator> {
    const authenticator = new KeyAuthenticator(store);
    // A listener that reconnects announces that too: what changed meanwhile is dropped then.
    authenticator.unlisten = await sql.listen(KEYS_CHANGED_CHANNEL, () => authenticator.forget());
    return authenticator;
  }

  /** The live key of a secret; undefined for an unknown or revoked one. */
  async authenticate(secret: string): Promise<ApiKey | undefined> {
    const hash = hashOfSecret(secret).toString('hex');
    const kept = this.live.get(hash);
    if (kept !== undefined) return kept;
    const generation = this.generation;
    const key = await this.store.authenticate(secret);
    if (key !== undefined && generation === this.generation) this.live.set(hash, key);
    return key;
  }

  /** Drops every kept key: the next request of each is looked up again. */
  forget(): void {
    this.generation += 1;
    this.live.clear();
  }

  /** Nest calls it when the service stops. */
  async onModuleDestroy(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
  }
}

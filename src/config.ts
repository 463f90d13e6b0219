import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_PG_TIMEOUTS } from './eventstore/sql/pg-sql-client';
import { API_KEY_SECRET, API_KEY_SECRET_RULE } from './access/api-key-secret';

/** Clients retry within minutes; a day leaves room for a retry after an outage. */
export const DEFAULT_IDEMPOTENCY_KEY_TTL_HOURS = 24;
/** Generous: a burst of a busy internal client passes; a runaway loop does not. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 6000;
export const DEFAULT_MAX_CONNECTIONS = 1024;
/** A live projection further behind the log than this makes /ready fail (Marten's default-ish). */
export const DEFAULT_READY_MAX_LAG_EVENTS = 10_000;
/** A whole request (headers and body) must arrive within this; a slow client is cut. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/**
 * How long an idle connection is kept for the client's next request: longer than the idle
 * timeout of the load balancers in front (60 s for AWS's and nginx's by default), so that they,
 * not the service, close idle connections. Node's own 5 s has a balancer send requests onto
 * connections the service is closing, which its clients see as 502s.
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

const apiKeySecret = z.string().regex(API_KEY_SECRET, API_KEY_SECRET_RULE);
const commaList = z.string().transform((list) =>
  list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

const configSchema = z.object({
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  EVENTSTORE_URL: z
    .string()
    .regex(/^(esdb|esdb\+discover|kurrentdb):\/\//, 'must be an esdb:// URL')
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PROJECTION_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).optional(),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(DEFAULT_PG_TIMEOUTS.connectMs),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(DEFAULT_PG_TIMEOUTS.queryMs),
  IDEMPOTENCY_KEY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 366)
    .default(DEFAULT_IDEMPOTENCY_KEY_TTL_HOURS),
  SUPPLIER_TASKS_ADMIN_KEY: apiKeySecret.optional(),
  SUPPLIER_TASKS_API_KEY: apiKeySecret.optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .default(DEFAULT_RATE_LIMIT_PER_MINUTE),
  CORS_ORIGINS: commaList.optional(),
  ALLOWED_HOSTS: commaList.optional(),
  MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_MAX_CONNECTIONS),
  READY_MAX_LAG_EVENTS: z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(DEFAULT_READY_MAX_LAG_EVENTS),
  REQUEST_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(3_600_000)
    .default(DEFAULT_REQUEST_TIMEOUT_MS),
  KEEP_ALIVE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(3_600_000)
    .default(DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
});

export interface AppConfig {
  /** Folder of the embedded database; used when no DATABASE_URL is set. */
  dataDir: string;
  databaseUrl: string | undefined;
  eventStoreUrl: string | undefined;
  port: number;
  host: string;
  /** Events per projection transaction; unset: a default that suits the database. */
  projectionBatchSize?: number;
  /**
   * Bounds on waiting for PostgreSQL (DATABASE_URL): a connection attempt, and one statement (on
   * the server and, for a stalled network, on the client), so that a request fails with 503
   * instead of hanging while the database is out of reach.
   */
  databaseTimeouts?: { connectMs: number; queryMs: number };
  /** How long a command's Idempotency-Key and its stored response are kept (from the first claim). */
  idempotencyKeyTtlHours?: number;
  /** An admin key's secret, created at start when absent (SUPPLIER_TASKS_ADMIN_KEY). */
  adminKey?: string;
  /** The key the CLI sends to the running service (SUPPLIER_TASKS_API_KEY). */
  apiKey?: string;
  /** Per key (public routes: per address) and minute. */
  rateLimitPerMinute?: number;
  /** Origins answered with Access-Control-Allow-Origin; none when unset. */
  corsOrigins?: string[];
  /** Host names (Host header, port aside) the service answers to; see `host-check.ts`. */
  allowedHosts?: string[];
  maxConnections?: number;
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  /** /ready fails while a live projection lags more events than this. */
  readyMaxLagEvents?: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (`DATABASE_URL=`) means unset, as in most shells' habits.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = configSchema.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  return {
    dataDir: resolve(c.DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    eventStoreUrl: c.EVENTSTORE_URL,
    port: c.PORT,
    host: c.HOST,
    projectionBatchSize: c.PROJECTION_BATCH_SIZE,
    idempotencyKeyTtlHours: c.IDEMPOTENCY_KEY_TTL_HOURS,
    databaseTimeouts: {
      connectMs: c.DATABASE_CONNECT_TIMEOUT_MS,
      queryMs: c.DATABASE_QUERY_TIMEOUT_MS,
    },
    adminKey: c.SUPPLIER_TASKS_ADMIN_KEY,
    apiKey: c.SUPPLIER_TASKS_API_KEY,
    rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
    corsOrigins: c.CORS_ORIGINS,
    allowedHosts: c.ALLOWED_HOSTS,
    maxConnections: c.MAX_CONNECTIONS,
    requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: c.KEEP_ALIVE_TIMEOUT_MS,
    readyMaxLagEvents: c.READY_MAX_LAG_EVENTS,
  };
}

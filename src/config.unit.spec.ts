import { DEFAULT_IDEMPOTENCY_KEY_TTL_HOURS, loadConfig } from './config';

describe('configuration from the environment', () => {
  it('keeps idempotency keys a day unless told otherwise', () => {
    expect(loadConfig({}).idempotencyKeyTtlHours).toBe(DEFAULT_IDEMPOTENCY_KEY_TTL_HOURS);
    expect(loadConfig({ IDEMPOTENCY_KEY_TTL_HOURS: '72' }).idempotencyKeyTtlHours).toBe(72);
  });

  it.each(['0', '1.5', 'a day', '9000'])(
    'refuses IDEMPOTENCY_KEY_TTL_HOURS=%s, naming the variable',
    (value) => {
      expect(() => loadConfig({ IDEMPOTENCY_KEY_TTL_HOURS: value })).toThrow(
        /IDEMPOTENCY_KEY_TTL_HOURS: /,
      );
    },
  );

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: '-1', DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL: must be a postgres:\/\/ URL; PORT: /,
    );
  });

  it('bounds waiting for PostgreSQL by default (5 s to connect, 10 s a statement), or as told', () => {
    expect(loadConfig({}).databaseTimeouts).toEqual({ connectMs: 5000, queryMs: 10_000 });
    expect(
      loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '500', DATABASE_QUERY_TIMEOUT_MS: '2000' })
        .databaseTimeouts,
    ).toEqual({ connectMs: 500, queryMs: 2000 });
    expect(() => loadConfig({ DATABASE_QUERY_TIMEOUT_MS: '0' })).toThrow(
      /DATABASE_QUERY_TIMEOUT_MS: /,
    );
  });

  it('keeps idle connections 65 s by default, or as told, and never under a second', () => {
    expect(loadConfig({}).keepAliveTimeoutMs).toBe(65_000);
    expect(loadConfig({ KEEP_ALIVE_TIMEOUT_MS: '120000' }).keepAliveTimeoutMs).toBe(120_000);
    expect(() => loadConfig({ KEEP_ALIVE_TIMEOUT_MS: '500' })).toThrow(/KEEP_ALIVE_TIMEOUT_MS: /);
  });
});

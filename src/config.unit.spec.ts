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
});

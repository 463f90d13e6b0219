import { SlidingWindowThrottlerStorage } from './sliding-window-storage';

const MINUTE = 60_000;

describe('the rate limit counts (sliding window)', () => {
  let now: number;
  let storage: SlidingWindowThrottlerStorage;
  beforeEach(() => {
    now = 1_000_000;
    storage = new SlidingWindowThrottlerStorage(() => now);
  });
  /** One request of `key` at the current time, limit 3 a minute, blocked for a minute past it. */
  const hit = (key = 'key:a') => storage.increment(key, MINUTE, 3, MINUTE);

  it('lets the limit through, refuses the next one for the block duration, with the time left', async () => {
    const passed = [];
    for (let i = 0; i < 3; i++) passed.push((await hit()).isBlocked);
    expect(passed).toEqual([false, false, false]);
    now += 1_000;
    const refused = await hit();
    expect(refused).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    now += 30_000;
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
  });

  it('counts each key apart', async () => {
    for (let i = 0; i < 4; i++) await hit('key:a');
    expect((await hit('key:b')).isBlocked).toBe(false);
  });

  it("still counts the previous minute's hits by the share of it that is within the last minute", async () => {
    // Given 3 hits at the very start of a window
    for (let i = 0; i < 3; i++) await hit();
    // When a quarter into the next window: 3 × 0.75 = 2.25 of them still count, so 1 more fits
    now += MINUTE + MINUTE / 4;
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 3 });
    expect((await hit()).isBlocked).toBe(true);
  });

  it('forgets a window that ended more than a window ago', async () => {
    for (let i = 0; i < 3; i++) await hit();
    now += 2 * MINUTE + 1;
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await hit()).isBlocked);
    expect(results).toEqual([false, false, false]);
  });

  it('lets a blocked key in again once the block has passed and the window slid on', async () => {
    for (let i = 0; i < 4; i++) await hit();
    // 4 hits counted in the first window; two windows later none of them count.
    now += 2 * MINUTE + 1;
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 1 });
  });
});

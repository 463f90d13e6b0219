import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { LRUCache } from 'lru-cache';

/** Keys (API keys, and addresses on public routes) whose counts are kept; the least recent go. */
const TRACKED_KEYS = 100_000;

interface Window {
  /** Start of the current fixed window, ms. */
  start: number;
  current: number;
  /** Hits of the window before the current one (0 if it was not the one just before). */
  previous: number;
  blockedUntil: number;
}

/**
 * The rate limit's counts in constant time per request: a sliding window estimated from two
 * fixed ones (the hits of the current window plus the share of the previous window's hits that
 * still falls within the last `ttl`). The throttler's own storage keeps every hit's expiry and
 * filters the list on each request, which at one key's 6,000 requests a minute took a tenth of
 * the service's CPU (bench/dashboard.ts profile). Blocking is as there: over the limit, the key
 * is refused for `blockDuration`, with the time left as Retry-After.
 */
export class SlidingWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new LRUCache<string, Window>({ max: TRACKED_KEYS });

  constructor(private readonly now: () => number = Date.now) {}

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    const window = this.windowOf(key, ttl, now);
    const timeToExpire = Math.ceil((window.start + ttl - now) / 1000);
    const record = (isBlocked: boolean, totalHits: number): Promise<ThrottlerStorageRecord> =>
      Promise.resolve({
        totalHits,
        timeToExpire,
        isBlocked,
        timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
      });
    if (now < window.blockedUntil) return record(true, window.current);
    window.current += 1;
    const stillCounted = Math.floor(window.previous * (1 - (now - window.start) / ttl));
    const totalHits = stillCounted + window.current;
    if (totalHits <= limit) return record(false, totalHits);
    // The throttler always passes a block (its default is `ttl`); without one, wait a window.
    window.blockedUntil = now + (blockDuration > 0 ? blockDuration : ttl);
    return record(true, totalHits);
  }

  private windowOf(key: string, ttl: number, now: number): Window {
    const window = this.windows.get(key);
    if (window === undefined) {
      const fresh = { start: now, current: 0, previous: 0, blockedUntil: 0 };
      this.windows.set(key, fresh);
      return fresh;
    }
    const passed = Math.floor((now - window.start) / ttl);
    if (passed >= 1) {
      window.previous = passed === 1 ? window.current : 0;
      window.current = 0;
      window.start += passed * ttl;
    }
    return window;
  }
}

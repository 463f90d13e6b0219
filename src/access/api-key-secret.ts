import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * `st_` and 32 random bytes, base64url: 256 bits, so a plain SHA-256 is enough to store it (no
 * dictionary to guess from, unlike a password) and a lookup by hash is one index probe.
 */
export const API_KEY_SECRET = /^st_[A-Za-z0-9_-]{32,200}$/;
export const API_KEY_SECRET_RULE = '`st_` followed by at least 32 base64url characters';

export const newApiKeySecret = (): string => `st_${randomBytes(32).toString('base64url')}`;

export const hashOfSecret = (secret: string): Buffer =>
  createHash('sha256').update(secret, 'utf8').digest();

/** Constant time, so that how long a refusal takes says nothing about how much of a hash matched. */
export const sameHash = (a: Buffer, b: Buffer): boolean =>
  a.length === b.length && timingSafeEqual(a, b);

import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { principalOf } from './principal';

/**
 * The rate limit counts per key, over all routes and whatever address it comes from; public
 * routes count per address. Runs after the access guard, which names the key.
 */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request;
    const principal = principalOf(request);
    return principal === undefined ? `ip:${request.ip ?? ''}` : `key:${principal.keyId}`;
  }

  /** The guard counts per route by default; a key's budget is one for the whole API. */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string) {
    return `${name}:${tracker}`;
  }
}

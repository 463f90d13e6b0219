import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { principalOf } from './principal';

/**
 * The rate limit counts per key, whatever address it comes from; public routes count per
 * address. Runs after the access guard, which names the key.
 */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request;
    const principal = principalOf(request);
    return principal === undefined ? `ip:${request.ip ?? ''}` : `key:${principal.keyId}`;
  }
}

import type { Request } from 'express';
import { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { CommandRoute } from './command-route';
import type { RequestIds } from './request-ids';

/** Body fields that go to the events' metadata rather than the command's data. */
export const EnvelopeShape = {
  occurredAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('business time, for back-dated entries; now when absent; never in the future'),
};
export const ENVELOPE_FIELDS: ReadonlySet<string> = new Set(Object.keys(EnvelopeShape));

/** What the pipe validates: the parts of the request a command is made of. */
export interface RawCommandInput {
  route: CommandRoute;
  params: Record<string, string>;
  body: unknown;
  headers: Request['headers'];
  ids: RequestIds;
  /** The API key the request came with: the events' actor. */
  principal: Principal;
}

/** Metadata key of the `CommandRoute` on a controller method. */
export const COMMAND_ROUTE = 'supplier-tasks:command-route';

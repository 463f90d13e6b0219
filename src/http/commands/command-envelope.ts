import { z } from 'zod';

/** Body fields that go to the events' metadata rather than the command's data. */
export const EnvelopeShape = {
  occurredAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('business time, for back-dated entries; now when absent; never in the future'),
};
export const ENVELOPE_FIELDS: ReadonlySet<string> = new Set(Object.keys(EnvelopeShape));

/** Metadata key of the `CommandRoute` on a controller method. */
export const COMMAND_ROUTE = 'supplier-tasks:command-route';

import { z } from 'zod';
import { v2EventSchema } from '../shared/schemas';

/**
 * How far the claims of history written without them (V1 imports, earlier builds) have been
 * seeded, in one stream (`claimsbackfill-log`): a start or an import continues from there
 * instead of reading the whole log. Not in the V2 union projections handle.
 */
export const CLAIMS_BACKFILL_STREAM_CATEGORY = 'claimsbackfill';
export const CLAIMS_BACKFILL_STREAM_ID = `${CLAIMS_BACKFILL_STREAM_CATEGORY}-log`;

/** `upTo`: a log position (decimal): every event up to it holds its claims. */
export const ClaimsBackfilledSchema = v2EventSchema(
  'ClaimsBackfilled',
  z.object({ upTo: z.string().regex(/^\d+$/) }),
);

export const ClaimsBackfillEventSchema = z.discriminatedUnion('type', [ClaimsBackfilledSchema]);
export type ClaimsBackfillEvent = z.infer<typeof ClaimsBackfillEventSchema>;
export const CLAIMS_BACKFILL_EVENT_TYPES = ClaimsBackfillEventSchema.options.map(
  (o) => o.shape.type.value,
);

import { z } from 'zod';
import { commandSchema } from '../shared/schemas';

export const RecordClaimsBackfillCommandSchema = commandSchema(
  'RecordClaimsBackfill',
  z.object({ upTo: z.string().regex(/^\d+$/) }),
);
export const ClaimsBackfillCommandSchema = z.discriminatedUnion('type', [
  RecordClaimsBackfillCommandSchema,
]);
export type ClaimsBackfillCommand = z.infer<typeof ClaimsBackfillCommandSchema>;

import { z } from 'zod';
import { commandSchema, IdSchema } from '../shared/schemas';

/** `key`: the reserved value in its normal form, which names the stream. */
/**
 * `replacing`: a holder the caller found dead (its entity never came to exist); its claim is
 * taken over if it still holds the value when the command is decided.
 */
export const ReservePayloadSchema = z.object({
  key: z.string().min(1),
  value: z.string(),
  holderId: IdSchema,
  replacing: IdSchema.optional(),
});
export const ReleasePayloadSchema = z.object({ key: z.string().min(1), holderId: IdSchema });

export const ReserveCommandSchema = commandSchema('Reserve', ReservePayloadSchema);
export const ReleaseCommandSchema = commandSchema('Release', ReleasePayloadSchema);
export const ReservationCommandSchema = z.discriminatedUnion('type', [
  ReserveCommandSchema,
  ReleaseCommandSchema,
]);
export type Reserve = z.infer<typeof ReserveCommandSchema>;
export type Release = z.infer<typeof ReleaseCommandSchema>;
export type ReservationCommand = z.infer<typeof ReservationCommandSchema>;

import { z } from 'zod';

/**
 * What an export adds to each line beyond the event: the recorded time and global position the
 * event had in the log it came from. Both optional: a legacy file has neither, and the store then
 * assigns them as for any append.
 */
export const restoredFieldsSchema = z.object({
  recordedAt: z.iso.datetime({ message: 'must be an ISO-8601 UTC date-time' }).optional(),
  position: z
    .string()
    .regex(/^[1-9][0-9]{0,18}$/, 'must be a positive integer as a decimal string')
    .optional(),
});

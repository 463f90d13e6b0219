import { z } from 'zod';
import type { LogExportFilter } from './log-export';

const position = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,18})$/, 'must be a position: a non-negative integer')
  .transform((value) => BigInt(value));
const list = z
  .string()
  .regex(/^[\w-]+(,[\w-]+)*$/, 'must be a comma-separated list of names')
  .transform((value) => value.split(','));
const instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 date-time' })
  .transform((value) => Date.parse(value));

/**
 * The filters of `GET /audit/log` and `supplier-tasks export`, as text (a query string, command
 * line options): the two accept the same names, with the same meaning and the same errors.
 */
export const LogExportQuerySchema = z
  .object({
    after: position.optional().describe('only events after this position (exclusive)'),
    toPosition: position.optional().describe('no event after this position (inclusive)'),
    categories: list
      .optional()
      .describe('stream categories, comma-separated: supplier,project,tasktype,supplierproject'),
    types: list.optional().describe('event types as stored, comma-separated'),
    from: instant.optional().describe('business time (occurredAt) from, inclusive'),
    to: instant.optional().describe('business time (occurredAt) to, exclusive'),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    path: ['to'],
    message: 'must be after from',
  });

export type LogExportQuery = z.input<typeof LogExportQuerySchema>;

export const toLogExportFilter = (
  query: z.output<typeof LogExportQuerySchema>,
  upcast = false,
): LogExportFilter => ({ ...query, upcast });

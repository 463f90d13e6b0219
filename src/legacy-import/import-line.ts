import type { z } from 'zod';
import type { NewEvent } from '../eventstore/event';
import { restoredFieldsSchema } from './restored-fields.schema';
import { v1LineSchema } from './v1-line.schema';
import { v2LineSchema, type V2Line } from './v2-line.schema';

export type ParsedImportLine =
  | { success: true; streamId: string; event: NewEvent }
  | { success: false; field: string; reason: string };

const firstIssue = (error: z.ZodError): { success: false; field: string; reason: string } => {
  const issue = error.issues[0]!;
  return { success: false, field: issue.path.join('.') || '(line)', reason: issue.message };
};

/**
 * A line of an import file: a legacy V1 event (no `schemaVersion`, as the contract has it) or a
 * V2 event of an export, either with the recorded time and position of an export.
 */
export function parseImportLine(value: unknown): ParsedImportLine {
  const isV2 = typeof value === 'object' && value !== null && 'schemaVersion' in value;
  const line = isV2 ? v2LineSchema.safeParse(value) : v1LineSchema.safeParse(value);
  if (!line.success) return firstIssue(line.error);
  const restored = restoredFieldsSchema.safeParse(value);
  if (!restored.success) return firstIssue(restored.error);
  const { streamId, eventId, type, data, metadata } = line.data;
  const schemaVersion = isV2 ? (line.data as V2Line).schemaVersion : undefined;
  const { recordedAt, position } = restored.data;
  const event: NewEvent = {
    eventId,
    type,
    ...(schemaVersion !== undefined && { schemaVersion }),
    data,
    metadata,
    ...((recordedAt !== undefined || position !== undefined) && {
      restored: {
        ...(recordedAt !== undefined && { recordedAt }),
        ...(position !== undefined && { position: BigInt(position) }),
      },
    }),
  };
  return { success: true, streamId, event };
}

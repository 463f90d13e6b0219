import { z } from 'zod';

/**
 * Where a page ended: the sort key of its last item. Opaque to clients (base64url JSON), so the
 * order can gain columns without breaking them; a cursor that does not decode is a 400.
 */
const CursorSchema = z.object({ k: z.string().nullable(), id: z.string() });
export type Cursor = z.infer<typeof CursorSchema>;

export const encodeCursor = (cursor: Cursor): string =>
  Buffer.from(JSON.stringify(cursor)).toString('base64url');

export function decodeCursor(text: string): Cursor | undefined {
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString()));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A cursor query parameter: decoded here, so a bad one is named like any other bad parameter. */
export const CursorParamSchema = z
  .string()
  .transform((text, ctx) => {
    const cursor = decodeCursor(text);
    if (cursor === undefined) {
      ctx.addIssue({ code: 'custom', message: 'not a cursor this service returned' });
      return z.NEVER;
    }
    return cursor;
  })
  .optional();

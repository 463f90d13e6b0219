import type { z } from 'zod';

/** Where a bad value came from. */
export type InputLocation = 'body' | 'path' | 'query' | 'header';

export interface FieldIssue {
  /** `data.<field>` for the command's payload, `metadata.<field>`, `headers.<name>`, or `body`. */
  field: string;
  in: InputLocation;
  reason: string;
}

/** Bad input, every bad field at once; the exception filter answers 400. */
export class RequestValidationError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '));
    this.name = 'RequestValidationError';
  }
}

/**
 * One issue per bad field, named with `fieldOf(path)`. An unknown key is its own field, and an
 * issue on the whole value (not an object) is named by `fieldOf([])`.
 */
export const fieldIssues = (
  error: z.ZodError,
  location: InputLocation,
  fieldOf: (path: ReadonlyArray<PropertyKey>) => string,
): FieldIssue[] =>
  error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: fieldOf([...issue.path, key]),
          in: location,
          reason: 'unknown field',
        }))
      : [{ field: fieldOf(issue.path), in: location, reason: issue.message }],
  );

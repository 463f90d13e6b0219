import type { ImportProgress, ImportResult } from './legacy-import';

/**
 * What `POST /admin/import` streams back, one JSON object a line, and the CLI reads: a progress
 * line per batch, then `done` with the counts or `failed` with the line, field and reason.
 */
export type ImportAnswerLine =
  | ({ type: 'progress' } & ImportProgress)
  | ({ type: 'done' } & ImportResult)
  | { type: 'failed'; line?: number; field?: string; reason: string };

import type { ClaimsBackfillProgress } from '../application/claims-backfill';
import type { HistoryImportResult } from './import-history';
import type { ImportProgress } from './legacy-import';

/**
 * What `POST /admin/import` streams back, one JSON object a line, and the CLI reads: a progress
 * line per batch, a `claims` line per page the claims backfill read after it, then `done` with
 * the counts or `failed` with the line, field and reason.
 */
export type ImportAnswerLine =
  | ({ type: 'progress' } & ImportProgress)
  | ({ type: 'claims' } & ClaimsBackfillProgress)
  | ({ type: 'done' } & HistoryImportResult)
  | { type: 'failed'; line?: number; field?: string; reason: string };

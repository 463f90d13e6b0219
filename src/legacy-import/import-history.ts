import type { CommandExecutor } from '../application/command-executor';
import {
  backfillClaims,
  type ClaimsBackfillProgress,
  type ClaimsBackfillReport,
} from '../application/claims-backfill';
import type { EventStore } from '../eventstore/event-store.port';
import {
  ImportLineError,
  importLegacyFile,
  type ImportOptions,
  type ImportResult,
} from './legacy-import';

export interface HistoryImportResult extends ImportResult {
  /** The claims the imported events took (claims-backfill.ts), and the duplicates it kept. */
  claims: ClaimsBackfillReport;
}

/**
 * An import as the CLI and `POST /admin/import` run it: the file, then the claims of what it
 * brought (codes, assignments, template references), so that a new command cannot repeat what
 * an imported entity holds. A file that stops at a bad line has its batches before it stored:
 * they get their claims too.
 */
export async function importHistory(
  store: EventStore,
  executor: CommandExecutor,
  path: string,
  options: ImportOptions & { onClaimsProgress?: (progress: ClaimsBackfillProgress) => void } = {},
): Promise<HistoryImportResult> {
  const backfill = () => backfillClaims(executor, store, { onProgress: options.onClaimsProgress });
  let result: ImportResult;
  try {
    result = await importLegacyFile(store, path, options);
  } catch (error) {
    if (error instanceof ImportLineError) await backfill();
    throw error;
  }
  return { ...result, claims: await backfill() };
}

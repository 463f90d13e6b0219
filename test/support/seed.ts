import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** The frozen V1 contract (EVENTS.md, SUMMARY.md), copied into the repository so a clone tests alone. */
export const LEGACY_CONTRACT_DIR = join(ROOT, 'docs', 'legacy-v1');
/** The migration report's history and its expected V2 summary. */
export const LEGACY_FIXTURES_DIR = join(ROOT, 'test', 'fixtures', 'legacy-v1');
export const SEED_FILE = join(LEGACY_FIXTURES_DIR, 'seed-report.ndjson');
export const SEED_EXPECTED_FILE = join(LEGACY_FIXTURES_DIR, 'seed-report.expected.json');

export function seedLines(): Record<string, unknown>[] {
  return readFileSync(SEED_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

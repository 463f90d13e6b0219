import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** shared/ sits beside the repository, in a developer's checkout and in CI's clone alike. */
export const LEGACY_DIR = join(__dirname, '..', '..', '..', 'shared', 'legacy-v1');
export const SEED_FILE = join(LEGACY_DIR, 'seed-report.ndjson');

export function seedLines(): Record<string, unknown>[] {
  return readFileSync(SEED_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

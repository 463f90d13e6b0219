import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryCase, HistoryCheck } from '../../tools/v1-history/check-v1-history';
import { LEGACY_CONTRACT_DIR } from './seed';

/** The event types EVENTS.md lists (`- \`Type\` \`{ … }\``), read from the contract itself. */
export function v1ContractEventTypes(): string[] {
  const contract = readFileSync(join(LEGACY_CONTRACT_DIR, 'EVENTS.md'), 'utf8');
  return [...contract.matchAll(/^- `(\w+)` `\{/gm)].map((match) => match[1]!);
}

/**
 * What a set of generated histories, taken together, lacks of the V1 contract: the event types
 * of EVENTS.md none of them holds, then the cases none of them holds.
 */
export function uncovered(checks: HistoryCheck[]): string[] {
  const missingTypes = v1ContractEventTypes().filter((type) =>
    checks.every((check) => !check.byType[type]),
  );
  const cases = Object.keys(checks[0]?.cases ?? {}) as HistoryCase[];
  const missingCases = cases.filter((c) => checks.every((check) => check.cases[c] === 0));
  return [...missingTypes, ...missingCases];
}

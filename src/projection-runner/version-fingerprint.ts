import type { ProjectionDefinition } from '../../projections/projection-definition';
import { sha256, type UpcasterChain } from './upcaster-chain';

/** What a version was built with: its tables and views, its handlers' code, the upcaster chain. */
export interface VersionFingerprint {
  schema: string;
  handlers: string;
  upcasters: string;
}

/** A projection that reads the raw log depends on no upcaster. */
export const RAW_INPUT = 'none: reads the raw log';

const memo = new WeakMap<ProjectionDefinition, Map<UpcasterChain, VersionFingerprint>>();

export function fingerprintOf(
  definition: ProjectionDefinition,
  chain: UpcasterChain,
): VersionFingerprint {
  const byChain = memo.get(definition) ?? new Map<UpcasterChain, VersionFingerprint>();
  memo.set(definition, byChain);
  const known = byChain.get(chain);
  if (known) return known;
  const { tables, views, facts, factKinds, input } = definition;
  const fingerprint = {
    schema: sha256(JSON.stringify({ tables, views, facts, factKinds, input })),
    handlers: sha256(
      [String(definition.reads), String(definition.apply), definition.handlerSource ?? ''].join(
        '\n',
      ),
    ),
    upcasters: input === 'raw' ? RAW_INPUT : chain.fingerprint,
  };
  byChain.set(chain, fingerprint);
  return fingerprint;
}

const PARTS: Array<[keyof VersionFingerprint, string]> = [
  ['schema', 'tables, views or validation facts'],
  ['handlers', 'handlers'],
  ['upcasters', 'upcaster chain'],
];

/**
 * Why a version built with `recorded` must not go on under `current`, or undefined if nothing
 * changed. A version is rebuilt from its definition's meaning: changing it in place would change
 * what the live read model means under the same number.
 */
export function fingerprintMismatch(
  name: string,
  version: number,
  recorded: VersionFingerprint,
  current: VersionFingerprint,
): string | undefined {
  const changed = PARTS.filter(([part]) => recorded[part] !== current[part]);
  if (changed.length === 0) return undefined;
  const what = changed
    .map(
      ([part, label]) =>
        `${label} (built with ${recorded[part].slice(0, 12)}, this build has ${current[part].slice(0, 12)})`,
    )
    .join(', ');
  return `${name} v${version} was built with other ${what}: a changed definition needs a new version number; bump the version of ${name} and rebuild it beside this one`;
}

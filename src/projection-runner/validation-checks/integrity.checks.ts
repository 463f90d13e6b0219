import { SUMMARY_COUNT_KEYS, type EntityCounts } from './entity-counts';
import { DIFFERENCES_SHOWN, type Side, type ValidationCheck } from './validation-check';

export interface ValidationDifference {
  entity: string;
  id: string;
  candidate: string | null;
  reference: string | null;
}

/** The two versions' facts compared: per kind, each side's count and checksum; the entities that differ. */
export interface FactComparison {
  entities: Record<
    string,
    { candidate: number; reference: number; candidateChecksum: string; referenceChecksum: string }
  >;
  differenceCount: number;
  /** The first differences (all of them up to the limit), each naming the entity and both sides. */
  differences: ValidationDifference[];
}

/** The summary format's counts, each compared where both versions hold the entity. */
export function countsCheck(
  candidate: Side,
  reference: Side,
  c: EntityCounts,
  r: EntityCounts,
): ValidationCheck {
  const compared = SUMMARY_COUNT_KEYS.filter((k) => c[k] !== null && r[k] !== null);
  const notCompared = SUMMARY_COUNT_KEYS.filter((k) => !compared.includes(k));
  const differ = compared.filter((k) => c[k] !== r[k]);
  const without = (side: Side, counts: EntityCounts) => {
    const none = notCompared.filter((k) => counts[k] === null);
    return none.length > 0 ? ` ${side.label} has no ${none.join(', ')}: not compared.` : '';
  };
  return {
    name: 'counts per entity kind preserved',
    group: 'integrity',
    passed: differ.length === 0 && compared.length > 0,
    details:
      `${compared.length - differ.length} of ${compared.length} counts equal` +
      ` (${compared.map((k) => `${k} ${c[k]}`).join(', ')}).` +
      without(candidate, c) +
      without(reference, r),
    differences: differ.map(
      (k) => `${k}: ${c[k]} in ${candidate.label}, ${r[k]} in ${reference.label}`,
    ),
  };
}

const showDifference = (d: ValidationDifference) =>
  `${d.entity} ${d.id}: ${d.candidate ?? '(missing)'} <> ${d.reference ?? '(missing)'}`;

/** Each shared entity kind's checksum over every entity's fingerprint, and the entities that differ. */
export function checksumsCheck(
  candidate: Side,
  reference: Side,
  facts: FactComparison,
): ValidationCheck {
  const kinds = Object.entries(facts.entities);
  const same = kinds.filter(([, e]) => e.candidateChecksum === e.referenceChecksum);
  const onlyOne = [
    ...candidate.definition.factKinds.filter((k) => !reference.definition.factKinds.includes(k)),
    ...reference.definition.factKinds.filter((k) => !candidate.definition.factKinds.includes(k)),
  ];
  return {
    name: 'per-entity checksums',
    group: 'integrity',
    passed: facts.differenceCount === 0,
    details:
      `${same.length} of ${kinds.length} entity kinds (${kinds.map(([k]) => k).join(', ')}) have equal checksums; ` +
      `${facts.differenceCount} entities differ.` +
      (onlyOne.length > 0 ? ` Held by one side only, not compared: ${onlyOne.join(', ')}.` : ''),
    differences: facts.differences.slice(0, DIFFERENCES_SHOWN).map(showDifference),
  };
}

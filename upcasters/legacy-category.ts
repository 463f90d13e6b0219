import { ManufacturingCategories } from '../src/domain/task-type/task-type.events';

/**
 * The category a V1 task type gets on upcast, from its name (EVENTS.md). "part approval" wins
 * over "nmr" when a name holds both, because the table lists it first.
 */
export const categoryFromLegacyName = (name: string): string => {
  const lower = name.toLowerCase();
  if (lower.includes('part approval')) return ManufacturingCategories.PART_APPROVAL;
  if (lower.includes('nmr')) return ManufacturingCategories.NMR;
  return ManufacturingCategories.UNCLASSIFIED;
};

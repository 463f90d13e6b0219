import type { ProjectionDefinition } from '../projection-definition';
import { isV1EventType } from './v1.events';
import { v1Apply, v1HandlerSource, v1Reads } from './v1.handlers';
import { legacyV2View } from './v2-view.handlers';

/**
 * legacy_v1 reads the log raw: a V1 event (no schema version, a V1 type) through the frozen
 * contract, anything newer through its own V2 → V1 view. Nothing here goes through an upcaster.
 */
export const legacyV1Handlers: Required<
  Pick<ProjectionDefinition, 'reads' | 'apply' | 'handlerSource'>
> = {
  reads: (event) =>
    event.schemaVersion === 1 && isV1EventType(event.type)
      ? v1Reads(event.type, event)
      : legacyV2View.reads(event),
  apply: (event, rows) =>
    event.schemaVersion === 1 && isV1EventType(event.type)
      ? v1Apply(event.type, event, rows)
      : legacyV2View.apply(event, rows),
  handlerSource: `${v1HandlerSource}\n${legacyV2View.handlerSource}`,
};

import { createHash } from 'node:crypto';
import { upcasterSteps, upcastStored, type UpcastStoredEvent } from '../../upcasters';
import { legacyMetadata, v1Samples } from '../../upcasters/v1.fixtures';
import type { StoredEvent } from '../eventstore/event';

/**
 * What turns stored events into the events upcast-input projections see. A parameter of the
 * runner rather than a fixed import, so a test can run the gate against a broken chain.
 */
export interface UpcasterChain {
  upcast(stored: StoredEvent): UpcastStoredEvent[];
  /** Recorded with every version built on this chain: a changed chain under the same version is refused. */
  fingerprint: string;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The code of every step and what the chain makes of one sample of every V1 type: a step's code
 * alone does not show what a shared step helper closes over, its output on the samples does.
 */
export function fingerprintOfChain(upcast: (stored: StoredEvent) => UpcastStoredEvent[]): string {
  const steps = upcasterSteps.map((s) => `${s.fromType}@${s.fromVersion}:${s.upcast}`);
  const outputs = Object.entries(v1Samples).map(([type, data], index) =>
    JSON.stringify(
      upcast({
        eventId: `sample-${index}`,
        streamId: 'sample',
        revision: index,
        position: BigInt(index + 1),
        type,
        schemaVersion: 1,
        data,
        metadata: { ...legacyMetadata, recordedAt: legacyMetadata.occurredAt },
      }),
      (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
    ),
  );
  return sha256([...steps, ...outputs].join('\n'));
}

/** The chain in `upcasters/`. */
export const upcasterChain: UpcasterChain = {
  upcast: upcastStored,
  fingerprint: fingerprintOfChain(upcastStored),
};

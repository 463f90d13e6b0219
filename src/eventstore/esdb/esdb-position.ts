import { START, type Position, type ReadPosition } from '@eventstore/db-client';

/**
 * The port's position is the event's commit position in `$all`. For the appends this adapter
 * makes (one implicit transaction per append, never an explicit multi-write transaction) the
 * server gives each event its own record's log position as both commit and prepare position,
 * so it is unique and grows in `$all` order, as the port requires.
 */
export function portPositionOf(position: Position | undefined): bigint | undefined {
  if (!position || position.commit === NO_POSITION) return undefined;
  return position.commit;
}

/**
 * Where a read "after p" starts. `$all` reads are inclusive of their start, so the event at `p`
 * itself comes back first and the reader drops it.
 */
export function readPositionAfter(after: bigint): ReadPosition {
  return after === 0n ? START : { commit: after, prepare: after };
}

/** What a stream read carries where the server has no `$all` position for it (2^64 - 1). */
const NO_POSITION = 2n ** 64n - 1n;

import { v5 as uuidv5 } from 'uuid';
import type { CommandMetadata } from '../domain/shared/schemas';
import type { Decider, DomainCommand, DomainEvent } from '../domain/shared/decider';
import {
  normalizedCode,
  reservationDecider,
  type ReservationState,
} from '../domain/reservation/reservation.decider';
import type { ReservationCommand } from '../domain/reservation/reservation.commands';
import type { ReservationEvent, ReservationKind } from '../domain/reservation/reservation.events';
import { templateReferencesDecider } from '../domain/template-references/template-references.decider';
import type { CommandExecutor } from './command-executor';

/*
 * Invariants that span aggregates (unique codes, one assignment per supplier and project, no
 * removal of a referenced template) are kept by claims: before a command appends to its own
 * stream, it appends to the stream that names what must be unique, expecting the revision it
 * decided on (the first claim expects no stream at all). Two commands racing for one claim
 * append at the same revision and the store lets one through; the other is decided again on
 * the stream as stored, and is refused naming the winner. This works on every store adapter,
 * EventStoreDB included: it needs nothing but the append's expected revision.
 *
 * A command refused after its claim (a domain error: 4xx) undoes it with a compensating event.
 * A command that fails otherwise (5xx, a crash) keeps its claim: a retry of the same request
 * finds it its own (the claim's holder is the entity the request creates) and goes on.
 */

/** What a claim made, and how the command undoes it when refused. */
export interface Claim {
  undo(): Promise<void>;
}

const NOTHING_TO_UNDO: Claim = { undo: async () => undefined };

/**
 * A claim's metadata: the command's own, but a keyed command's seed is derived per claim, so
 * that the claim's event ids differ from the command's own events' and a retry repeats them.
 */
const claimMetadata = (metadata: CommandMetadata, purpose: string): CommandMetadata => {
  const { idempotency, ...rest } = metadata;
  return idempotency === undefined
    ? rest
    : { ...rest, idempotency: { ...idempotency, seed: uuidv5(purpose, idempotency.seed) } };
};

async function appendClaim<C extends DomainCommand, E extends DomainEvent, S>(
  executor: CommandExecutor,
  decider: Decider<C, E, S>,
  command: C,
  purpose: string,
): Promise<boolean> {
  const streamId = decider.streamIdFor(command);
  const metadata = claimMetadata(command.metadata, `${purpose}:${streamId}`);
  const result = await executor.execute(
    decider,
    streamId,
    undefined,
    () => ({ ...command, metadata }),
    // A claim's stream is usually new (a code, an assignment nobody has made yet); the template
    // references of a busy template are in the executor's cache.
    { likelyNew: true },
  );
  return result.events.length > 0;
}

const reservationDeciders = new Map<
  ReservationKind,
  Decider<ReservationCommand, ReservationEvent, ReservationState>
>();
const deciderOf = (kind: ReservationKind) => {
  let decider = reservationDeciders.get(kind);
  if (decider === undefined) {
    decider = reservationDecider(kind);
    reservationDeciders.set(kind, decider);
  }
  return decider;
};

async function reserve(
  executor: CommandExecutor,
  kind: ReservationKind,
  reservation: { key: string; value: string; holderId: string },
  metadata: CommandMetadata,
): Promise<Claim> {
  const decider = deciderOf(kind);
  const taken = await appendClaim(
    executor,
    decider,
    { type: 'Reserve', data: reservation, metadata },
    'reserve',
  );
  if (!taken) return NOTHING_TO_UNDO;
  const { key, holderId } = reservation;
  return {
    undo: async () => {
      await appendClaim(
        executor,
        decider,
        { type: 'Release', data: { key, holderId }, metadata },
        'release',
      );
    },
  };
}

/** The code, compared case-insensitively, is this supplier's: 409 naming its holder otherwise. */
export const reserveSupplierCode = (
  executor: CommandExecutor,
  { supplierId, code }: { supplierId: string; code: string },
  metadata: CommandMetadata,
): Promise<Claim> =>
  reserve(
    executor,
    'supplierCode',
    { key: normalizedCode(code), value: code, holderId: supplierId },
    metadata,
  );

export const reserveProjectCode = (
  executor: CommandExecutor,
  { projectId, code }: { projectId: string; code: string },
  metadata: CommandMetadata,
): Promise<Claim> =>
  reserve(
    executor,
    'projectCode',
    { key: normalizedCode(code), value: code, holderId: projectId },
    metadata,
  );

/** The supplier is assigned to the project by this supplier project instance only. */
export const reserveAssignment = (
  executor: CommandExecutor,
  a: { supplierProjectInstanceId: string; supplierId: string; projectId: string },
  metadata: CommandMetadata,
): Promise<Claim> =>
  reserve(
    executor,
    'supplierAssignment',
    {
      key: `${a.supplierId}_${a.projectId}`,
      value: `supplier ${a.supplierId} in project ${a.projectId}`,
      holderId: a.supplierProjectInstanceId,
    },
    metadata,
  );

/** Records that the instance references the template: 404 once a removal has closed it. */
export async function referenceTemplate(
  executor: CommandExecutor,
  ref: { templateId: string; supplierProjectInstanceId: string; supplierTaskInstanceId: string },
  metadata: CommandMetadata,
): Promise<Claim> {
  const d = templateReferencesDecider;
  const taken = await appendClaim(
    executor,
    d,
    { type: 'ReferenceTemplate', data: ref, metadata },
    'reference',
  );
  if (!taken) return NOTHING_TO_UNDO;
  return {
    undo: async () => {
      await appendClaim(
        executor,
        d,
        { type: 'ReleaseTemplateReference', data: ref, metadata },
        'release-reference',
      );
    },
  };
}

/** Closes the template to new instances: 422 naming the instances that reference it. */
export async function closeTemplateReferences(
  executor: CommandExecutor,
  templateId: string,
  metadata: CommandMetadata,
): Promise<Claim> {
  const d = templateReferencesDecider;
  const data = { templateId };
  const taken = await appendClaim(
    executor,
    d,
    { type: 'CloseTemplateReferences', data, metadata },
    'close',
  );
  if (!taken) return NOTHING_TO_UNDO;
  return {
    undo: async () => {
      await appendClaim(
        executor,
        d,
        { type: 'ReopenTemplateReferences', data, metadata },
        'reopen',
      );
    },
  };
}

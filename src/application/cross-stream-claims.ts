import { v5 as uuidv5 } from 'uuid';
import { PROJECT_STREAM_CATEGORY } from '../domain/project/project.events';
import type { CommandMetadata } from '../domain/shared/schemas';
import {
  streamId,
  type Decider,
  type DomainCommand,
  type DomainEvent,
} from '../domain/shared/decider';
import { DomainErrorCodes, isDomainError } from '../domain/shared/domain-error';
import {
  normalizedCode,
  reservationDecider,
  reservationStreamId,
  type ReservationState,
} from '../domain/reservation/reservation.decider';
import type { ReservationCommand, Reserve } from '../domain/reservation/reservation.commands';
import type { ReservationEvent, ReservationKind } from '../domain/reservation/reservation.events';
import { SUPPLIER_STREAM_CATEGORY } from '../domain/supplier/supplier.events';
import { supplierProjectDecider } from '../domain/supplier-project/supplier-project.decider';
import { SUPPLIER_PROJECT_STREAM_CATEGORY } from '../domain/supplier-project/supplier-project.events';
import { templateReferencesDecider } from '../domain/template-references/template-references.decider';
import { TEMPLATE_REFERENCES_STREAM_CATEGORY } from '../domain/template-references/template-references.events';
import type { NewEvent } from '../eventstore/event';
import { stamp, type CommandExecutor } from './command-executor';

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
 * finds it its own (the claim's holder is the entity the request creates) and goes on. A claim
 * whose holder never came to exist (a crash without an Idempotency-Key, so no retry will find
 * it its own) is taken over by the next command that needs it, once it is older than
 * ORPHAN_GRACE_MS.
 */

/** What a claim made, and how the command undoes it when refused. */
export interface Claim {
  /** Whether this call wrote the claim; false when its holder held it already. */
  readonly taken: boolean;
  undo(): Promise<void>;
}

/** What a claim appends when decided on a state its caller knows, and the state after it. */
export interface KnownClaim {
  /** Empty when its holder holds it already. */
  events: NewEvent[];
  state: unknown;
}

/** A claim to take: the stream it lives in, who holds it once taken, and how to take it. */
export interface ClaimRequest {
  streamId: string;
  holderId: string;
  take(executor: CommandExecutor, metadata: CommandMetadata): Promise<Claim>;
  /**
   * The claim decided on the stream's state as the caller knows it (undefined: the stream is
   * new), with the events `take` would append, so that many can be appended at once (the
   * backfill). Throws the refusal `take` would throw when another holder has it.
   */
  decideOn(state: unknown, metadata: CommandMetadata): KnownClaim;
}

const NOTHING_TO_UNDO: Claim = { taken: false, undo: async () => undefined };

/**
 * How old a claim must be before its holder's absence proves the command that made it dead:
 * longer than a command can take between its claim and its own append (a request is cut after
 * REQUEST_TIMEOUT_MS, 30 s by default, and each statement after DATABASE_QUERY_TIMEOUT_MS).
 */
const ORPHAN_GRACE_MS = 2 * 60_000;

/** The stream of the entity that holds each kind of reservation. */
const HOLDER_CATEGORY: Record<ReservationKind, string> = {
  supplierCode: SUPPLIER_STREAM_CATEGORY,
  projectCode: PROJECT_STREAM_CATEGORY,
  supplierAssignment: SUPPLIER_PROJECT_STREAM_CATEGORY,
};

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

/** `appendClaim`'s decision, made on a known state instead of the store's. */
function decideClaim<C extends DomainCommand, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  command: C,
  purpose: string,
  known: unknown,
): KnownClaim {
  const streamId = decider.streamIdFor(command);
  const metadata = claimMetadata(command.metadata, `${purpose}:${streamId}`);
  // The caller's state of this stream was folded by this same decider.
  const state = known === undefined ? decider.initialState : (known as S);
  const decided = decider.decide({ ...command, metadata }, state);
  return {
    events: decided.map((e, index) => stamp(e, metadata, index)),
    state: decided.reduce(decider.evolve, state),
  };
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

/**
 * The holder of the claim, when it is dead: its entity's stream does not exist and its claim is
 * older than the grace period. Undefined otherwise.
 */
async function deadHolder(
  executor: CommandExecutor,
  kind: ReservationKind,
  claimStream: string,
): Promise<string | undefined> {
  const { state, revision } = await executor.load(deciderOf(kind), claimStream);
  if (state === null || revision === undefined) return undefined;
  const holderStream = streamId(HOLDER_CATEGORY[kind], state.holderId);
  if ((await executor.recordedAt(holderStream, 0)) !== undefined) return undefined;
  // The stream's last event is the holder's reservation (a release would have freed it).
  const claimedAt = await executor.recordedAt(claimStream, revision);
  if (claimedAt === undefined) return undefined;
  return Date.now() - Date.parse(claimedAt) >= ORPHAN_GRACE_MS ? state.holderId : undefined;
}

function reservation(kind: ReservationKind, reserved: Reserve['data']): ClaimRequest {
  const decider = deciderOf(kind);
  const claimStream = reservationStreamId(kind, reserved.key);
  const { key, holderId } = reserved;
  return {
    streamId: claimStream,
    holderId,
    decideOn: (state, metadata) =>
      decideClaim(decider, { type: 'Reserve', data: reserved, metadata }, 'reserve', state),
    async take(executor, metadata) {
      const reserve: Reserve = { type: 'Reserve', data: reserved, metadata };
      let taken: boolean;
      try {
        taken = await appendClaim(executor, decider, reserve, 'reserve');
      } catch (refusal) {
        if (!isDomainError(refusal) || refusal.kind !== 'conflict') throw refusal;
        const replacing = await deadHolder(executor, kind, claimStream);
        // Decided again either way: on the dead holder's claim, so that of two takers only one
        // appends at its revision; or so that the refusal names whoever holds it now (a taker
        // may have replaced the holder that refused).
        taken =
          replacing === undefined
            ? await appendClaim(executor, decider, reserve, 'reserve')
            : await appendClaim(
                executor,
                decider,
                { ...reserve, data: { ...reserved, replacing } },
                'take-over',
              );
      }
      if (!taken) return NOTHING_TO_UNDO;
      return {
        taken,
        undo: async () => {
          await appendClaim(
            executor,
            decider,
            { type: 'Release', data: { key, holderId }, metadata },
            'release',
          );
        },
      };
    },
  };
}

/** The code, compared case-insensitively, is this supplier's: 409 naming its holder otherwise. */
export const supplierCodeClaim = ({ supplierId, code }: { supplierId: string; code: string }) =>
  reservation('supplierCode', { key: normalizedCode(code), value: code, holderId: supplierId });

export const projectCodeClaim = ({ projectId, code }: { projectId: string; code: string }) =>
  reservation('projectCode', { key: normalizedCode(code), value: code, holderId: projectId });

/** The supplier is assigned to the project by this supplier project instance only. */
export const assignmentClaim = (a: {
  supplierProjectInstanceId: string;
  supplierId: string;
  projectId: string;
}) =>
  reservation('supplierAssignment', {
    key: `${a.supplierId}_${a.projectId}`,
    value: `supplier ${a.supplierId} in project ${a.projectId}`,
    holderId: a.supplierProjectInstanceId,
  });

/** Records that the instance references the template: 404 once a removal has closed it. */
export const templateReferenceClaim = (ref: {
  templateId: string;
  supplierProjectInstanceId: string;
  supplierTaskInstanceId: string;
}): ClaimRequest => ({
  streamId: streamId(TEMPLATE_REFERENCES_STREAM_CATEGORY, ref.templateId),
  holderId: ref.supplierTaskInstanceId,
  decideOn: (state, metadata) =>
    decideClaim(
      templateReferencesDecider,
      { type: 'ReferenceTemplate', data: ref, metadata },
      'reference',
      state,
    ),
  async take(executor, metadata) {
    const d = templateReferencesDecider;
    const taken = await appendClaim(
      executor,
      d,
      { type: 'ReferenceTemplate', data: ref, metadata },
      'reference',
    );
    if (!taken) return NOTHING_TO_UNDO;
    return {
      taken,
      undo: async () => {
        await appendClaim(
          executor,
          d,
          { type: 'ReleaseTemplateReference', data: ref, metadata },
          'release-reference',
        );
      },
    };
  },
});

export const referenceTemplate = (
  executor: CommandExecutor,
  ref: { templateId: string; supplierProjectInstanceId: string; supplierTaskInstanceId: string },
  metadata: CommandMetadata,
): Promise<Claim> => templateReferenceClaim(ref).take(executor, metadata);

/**
 * The instances whose references are dead: recorded by a creation that never appended the
 * instance (a crash without Idempotency-Key). Ages are not kept per reference, so only a stream
 * quiet for the grace period counts: then every reference in it is older than that.
 */
async function deadReferences(executor: CommandExecutor, templateId: string): Promise<string[]> {
  const references = streamId(TEMPLATE_REFERENCES_STREAM_CATEGORY, templateId);
  const { state, revision } = await executor.load(templateReferencesDecider, references);
  if (revision === undefined) return [];
  const lastAt = await executor.recordedAt(references, revision);
  if (lastAt === undefined || Date.now() - Date.parse(lastAt) < ORPHAN_GRACE_MS) return [];
  const dead: string[] = [];
  for (const [instance, supplierProject] of state.instances) {
    const { state: holder } = await executor.load(
      supplierProjectDecider,
      streamId(SUPPLIER_PROJECT_STREAM_CATEGORY, supplierProject),
    );
    if (holder?.tasks[instance] === undefined) dead.push(instance);
  }
  return dead;
}

/**
 * Closes the template to new instances: 422 naming the instances that reference it. References
 * of instances that never came to exist are released in the same append.
 */
export async function closeTemplateReferences(
  executor: CommandExecutor,
  templateId: string,
  metadata: CommandMetadata,
): Promise<Claim> {
  const d = templateReferencesDecider;
  const data = { templateId };
  const close = { type: 'CloseTemplateReferences', data, metadata } as const;
  let taken: boolean;
  try {
    taken = await appendClaim(executor, d, close, 'close');
  } catch (refusal) {
    if (!isDomainError(refusal) || refusal.code !== DomainErrorCodes.TEMPLATE_REFERENCED) {
      throw refusal;
    }
    const releasing = await deadReferences(executor, templateId);
    if (releasing.length === 0) throw refusal;
    // Decided on the references as read: an instance created since is refused naming it.
    taken = await appendClaim(
      executor,
      d,
      { ...close, data: { ...data, releasing } },
      'release-dead',
    );
  }
  if (!taken) return NOTHING_TO_UNDO;
  return {
    taken,
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

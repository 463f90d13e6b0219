import { v5 as uuidv5 } from 'uuid';
import type { z } from 'zod';
import { claimsBackfillDecider } from '../domain/reservation/claims-backfill.decider';
import { CLAIMS_BACKFILL_STREAM_ID } from '../domain/reservation/claims-backfill.events';
import { RESERVATION_KINDS } from '../domain/reservation/reservation.events';
import { PROJECT_STREAM_CATEGORY, ProjectCreatedSchema } from '../domain/project/project.events';
import { isDomainError, type DomainError } from '../domain/shared/domain-error';
import type { CommandMetadata } from '../domain/shared/schemas';
import {
  SUPPLIER_STREAM_CATEGORY,
  SupplierRegisteredSchema,
} from '../domain/supplier/supplier.events';
import {
  SUPPLIER_PROJECT_STREAM_CATEGORY,
  SupplierProjectInstanceCreatedSchema,
  SupplierTaskInstanceCreatedSchema,
} from '../domain/supplier-project/supplier-project.events';
import { TEMPLATE_REFERENCES_STREAM_CATEGORY } from '../domain/template-references/template-references.events';
import { WrongExpectedRevisionError } from '../eventstore/errors';
import type { NewEvent, StoredEvent } from '../eventstore/event';
import type { EventStore, StreamAppend } from '../eventstore/event-store.port';
import { upcastStored, type UpcastStoredEvent } from '../../upcasters';
import type { CommandExecutor } from './command-executor';
import {
  assignmentClaim,
  projectCodeClaim,
  supplierCodeClaim,
  templateReferenceClaim,
  type ClaimRequest,
} from './cross-stream-claims';

/*
 * Codes, assignments and instances written without claims (a V1 import, or V2 events appended
 * by a build before the claims) would let a new command repeat a code an existing supplier has,
 * or remove a template an existing instance references. The backfill reads the log, upcast, and
 * takes for each such event the claim its command would have taken, through the same claim
 * streams, so a new command meets it as it meets any other.
 *
 * - In log order: where the log already holds duplicates (the legacy portal did not check), the
 *   first holder owns the claim and the later ones are listed, not failed; they stay as they are.
 * - Idempotent: each claim's event ids derive from the event it is for, so a re-run, or two
 *   processes at once, append nothing twice (the store recognises the ids; a racing append is
 *   decided again and finds the claim its own).
 * - Cheap when nothing is missing: the position up to which claims are seeded is recorded
 *   (`claimsbackfill-log`), and a run reads only what came after it. The claims appended by
 *   commands since then are read with it, so an event whose claim is in the log costs no round
 *   trip, only its share of one read of the log.
 */

/** The namespace of the backfill's derived ids. */
const BACKFILL_NAMESPACE = '3f0c1b6e-8a47-4d2b-9c55-6e1f0a7d2b94';
/** The actor of every event the backfill appends. */
const CLAIMS_BACKFILL_ACTOR = 'claims-backfill';
/** Events per read of the log. */
const PAGE_SIZE = 2000;
/**
 * Events a run reads (claims and what claims) before it records its position even with nothing
 * to take: the claims commands and earlier runs appended count, or a start after a large import
 * would read them all again.
 */
const RECORD_AFTER_EVENTS = 10_000;
/** Claim streams taken at once; the claims of one stream are taken one after the other, in log order. */
const PARALLEL_STREAMS = 8;

const SOURCE_CATEGORIES = [
  SUPPLIER_STREAM_CATEGORY,
  PROJECT_STREAM_CATEGORY,
  SUPPLIER_PROJECT_STREAM_CATEGORY,
];
const CLAIM_CATEGORIES = [
  ...Object.values(RESERVATION_KINDS).map((k) => k.category),
  TEMPLATE_REFERENCES_STREAM_CATEGORY,
];

export interface ClaimsBackfillProgress {
  /** Log positions read, of `total` to read. */
  done: number;
  total: number;
}

/** An event whose claim another holder has (a legacy duplicate): kept as it is, listed. */
export interface UnclaimedEvent {
  streamId: string;
  eventId: string;
  position: string;
  type: string;
  /** What a new command would be refused with: its code and who holds the claim. */
  code: string;
  details: Readonly<Record<string, unknown>>;
}

export interface ClaimsBackfillReport {
  /** The part of the log read: after `from`, up to `upTo` (positions). */
  from: string;
  upTo: string;
  /** Events that claim something, and the claims this run wrote for them. */
  events: number;
  written: number;
  /** In log order. */
  unclaimed: UnclaimedEvent[];
}

interface PendingClaim {
  event: UpcastStoredEvent;
  claim: ClaimRequest;
}

/**
 * The data of an event of this schema; undefined for one its schema refuses, which claims
 * nothing here (the projections stop at it and say so) rather than stop the service's start.
 */
const dataOf = <D>(schema: { shape: { data: z.ZodType<D> } }, event: UpcastStoredEvent) => {
  const parsed = schema.shape.data.safeParse(event.data);
  return parsed.success ? parsed.data : undefined;
};

/** The claim the command that wrote this event takes, if any. */
function claimOf(event: UpcastStoredEvent): ClaimRequest | undefined {
  switch (event.type) {
    case 'SupplierRegistered': {
      const data = dataOf(SupplierRegisteredSchema, event);
      return data && supplierCodeClaim(data);
    }
    case 'ProjectCreated': {
      const data = dataOf(ProjectCreatedSchema, event);
      return data && projectCodeClaim(data);
    }
    case 'SupplierProjectInstanceCreated': {
      const data = dataOf(SupplierProjectInstanceCreatedSchema, event);
      return data && assignmentClaim(data);
    }
    case 'SupplierTaskInstanceCreated': {
      const data = dataOf(SupplierTaskInstanceCreatedSchema, event);
      if (data === undefined) return undefined;
      const { templateId, supplierProjectInstanceId, supplierTaskInstanceId } = data;
      return templateReferenceClaim({
        templateId,
        supplierProjectInstanceId,
        supplierTaskInstanceId,
      });
    }
    default:
      return undefined;
  }
}

const heldKey = (streamId: string, holderId: unknown) => `${streamId} ${String(holderId)}`;

/** A claim event read from the log: who it gives the claim to, or takes it from. */
function heldChangeOf(event: UpcastStoredEvent): { key: string; held: boolean } | undefined {
  switch (event.type) {
    case 'SupplierCodeReserved':
    case 'ProjectCodeReserved':
    case 'SupplierAssignmentReserved':
      return { key: heldKey(event.streamId, event.data.holderId), held: true };
    case 'SupplierCodeReleased':
    case 'ProjectCodeReleased':
    case 'SupplierAssignmentReleased':
      return { key: heldKey(event.streamId, event.data.holderId), held: false };
    case 'TemplateReferenced':
      return { key: heldKey(event.streamId, event.data.supplierTaskInstanceId), held: true };
    case 'TemplateReferenceReleased':
      return { key: heldKey(event.streamId, event.data.supplierTaskInstanceId), held: false };
    default:
      return undefined;
  }
}

/** The claim's metadata, a function of the event only: a re-run appends identical events. */
const metadataFor = (event: UpcastStoredEvent): CommandMetadata => ({
  occurredAt: event.metadata.occurredAt,
  actor: CLAIMS_BACKFILL_ACTOR,
  correlationId: event.metadata.correlationId,
  causationId: event.eventId,
  idempotency: { seed: uuidv5(`claim:${event.eventId}`, BACKFILL_NAMESPACE), resumed: false },
});

/** Where the last run stopped, and the head of the log: what a run would read lies between. */
async function extent(
  executor: CommandExecutor,
  store: Pick<EventStore, 'headPosition'>,
): Promise<{ from: bigint; head: bigint }> {
  const { state } = await executor.load(claimsBackfillDecider, CLAIMS_BACKFILL_STREAM_ID);
  return { from: state.upTo, head: await store.headPosition() };
}

/** Positions of the log a run would read (of every category: a bound, not a count). */
export async function claimsBackfillBacklog(
  executor: CommandExecutor,
  store: Pick<EventStore, 'headPosition'>,
): Promise<bigint> {
  const { from, head } = await extent(executor, store);
  return head > from ? head - from : 0n;
}

/**
 * Takes the claims of every event after the recorded position that lacks them, then records how
 * far it read. Progress is reported after each page of the log.
 */
export async function backfillClaims(
  executor: CommandExecutor,
  store: Pick<EventStore, 'readAll' | 'headPosition' | 'appendMany'>,
  {
    onProgress = () => undefined,
    signal,
  }: {
    onProgress?: (progress: ClaimsBackfillProgress) => void;
    /** Stops the run between pages of the log (a service shutting down). */
    signal?: AbortSignal;
  } = {},
): Promise<ClaimsBackfillReport> {
  const { from, head } = await extent(executor, store);
  const report: ClaimsBackfillReport = {
    from: String(from),
    upTo: String(from),
    events: 0,
    written: 0,
    unclaimed: [],
  };
  if (head <= from) return report;
  onProgress({ done: 0, total: Number(head - from) });
  // Claims read since `from` whose event has not come yet (a command claims before its append).
  const held = new Set<string>();
  const known = new KnownClaimStreams(from === 0n);
  let after = from;
  let last: StoredEvent | undefined;
  let read = 0;
  const readPage = (position: bigint) => {
    const reading = store.readAll({
      after: position,
      maxCount: PAGE_SIZE,
      categories: [...SOURCE_CATEGORIES, ...CLAIM_CATEGORIES],
    });
    // Awaited by the next turn; a run that fails before then must not leave it unhandled.
    reading.catch(() => undefined);
    return reading;
  };
  let next = readPage(after);
  for (;;) {
    signal?.throwIfAborted();
    const page = await next;
    if (page.length === 0) break;
    read += page.length;
    const pending: PendingClaim[] = [];
    for (const event of page.flatMap(upcastStored)) {
      const change = heldChangeOf(event);
      if (change) {
        known.readFromLog(event.streamId);
        if (change.held) held.add(change.key);
        else held.delete(change.key);
        continue;
      }
      const claim = claimOf(event);
      if (claim === undefined) continue;
      report.events += 1;
      if (!held.delete(heldKey(claim.streamId, claim.holderId))) pending.push({ event, claim });
    }
    last = page.at(-1)!;
    after = last.position;
    // The next page is read while this one's claims are appended: it does not depend on them
    // (what the backfill appends lies past the head it reads up to).
    next = after < head ? readPage(after) : Promise.resolve([]);
    await takeInLogOrder(executor, store, known, pending, report);
    onProgress({ done: Number((after < head ? after : head) - from), total: Number(head - from) });
  }
  report.unclaimed.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
  // A run that wrote nothing records its position only once re-reading would cost: so the
  // restore of an export that holds its claims appends nothing (export → import → export
  // stays byte-identical), and a start after a short run reads little again.
  const worthRecording =
    report.written > 0 || report.unclaimed.length > 0 || read >= RECORD_AFTER_EVENTS;
  if (last === undefined || !worthRecording) return report;
  const upTo = String(after > head ? after : head);
  await executor.execute(claimsBackfillDecider, CLAIMS_BACKFILL_STREAM_ID, undefined, () => ({
    type: 'RecordClaimsBackfill' as const,
    data: { upTo },
    metadata: {
      occurredAt: last.metadata.occurredAt,
      actor: CLAIMS_BACKFILL_ACTOR,
      idempotency: { seed: uuidv5(`checkpoint:${upTo}`, BACKFILL_NAMESPACE), resumed: false },
    },
  }));
  return { ...report, upTo };
}

/**
 * The claim streams whose whole content the backfill knows: on a run from the start of the log,
 * one it has read no event of did not exist when it read (and an append expecting no stream
 * proves it still does not), and one it wrote itself is as it left it (the append expecting
 * that revision proves it). Their claims are decided in memory and appended together; any other
 * stream is read by the executor first.
 */
class KnownClaimStreams {
  private readonly seen = new Set<string>();
  private readonly written = new Map<string, { revision: number; state: unknown }>();

  constructor(private readonly fromTheStart: boolean) {}

  readFromLog(streamId: string): void {
    this.seen.add(streamId);
  }

  /** The stream's revision and state, `revision` undefined for a new one; undefined if unknown. */
  get(streamId: string): { revision: number | undefined; state: unknown } | undefined {
    const written = this.written.get(streamId);
    if (written) return written;
    return this.fromTheStart && !this.seen.has(streamId)
      ? { revision: undefined, state: undefined }
      : undefined;
  }

  wrote(streamId: string, revision: number, state: unknown): void {
    this.written.set(streamId, { revision, state });
  }

  /** Written by someone else meanwhile: only the store knows it now. */
  forget(streamId: string): void {
    this.written.delete(streamId);
    this.seen.add(streamId);
  }
}

/**
 * The page's claims, in log order within each stream: those of known streams decided in memory
 * and appended in one call (a stream moved meanwhile fails it, and they are then taken one by
 * one like the others); the others through the executor, streams at once, each in log order.
 */
async function takeInLogOrder(
  executor: CommandExecutor,
  store: Pick<EventStore, 'appendMany'>,
  known: KnownClaimStreams,
  pending: PendingClaim[],
  report: ClaimsBackfillReport,
): Promise<void> {
  const byStream = new Map<string, PendingClaim[]>();
  for (const p of pending) {
    const queue = byStream.get(p.claim.streamId);
    if (queue) queue.push(p);
    else byStream.set(p.claim.streamId, [p]);
  }
  const batch = decideKnown(known, byStream);
  let queues = [...byStream.entries()]
    .filter(([streamId]) => !batch.streams.has(streamId))
    .map(([, queue]) => queue);
  try {
    const appends = [...batch.streams.values()].filter((s) => s.append.events.length > 0);
    const results = appends.length > 0 ? await store.appendMany(appends.map((s) => s.append)) : [];
    appends.forEach(({ append, state }, i) => {
      known.wrote(append.streamId, results[i]!.nextExpectedRevision, state);
      // One event per claim; none written when another process wrote the same ids first.
      report.written += results[i]!.written;
    });
    report.unclaimed.push(...batch.unclaimed);
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    for (const streamId of batch.streams.keys()) known.forget(streamId);
    queues = [...byStream.values()];
  }
  let next = 0;
  const worker = async () => {
    for (let queue = queues[next++]; queue !== undefined; queue = queues[next++]) {
      for (const p of queue) await take(executor, p, report);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_STREAMS, queues.length) }, worker));
}

/** The claims of the known streams decided in memory, in log order within each stream. */
function decideKnown(known: KnownClaimStreams, byStream: Map<string, PendingClaim[]>) {
  const streams = new Map<string, { append: StreamAppend; state: unknown }>();
  const unclaimed: UnclaimedEvent[] = [];
  for (const [streamId, queue] of byStream) {
    const start = known.get(streamId);
    if (start === undefined) continue;
    let { state } = start;
    const events: NewEvent[] = [];
    for (const { event, claim } of queue) {
      try {
        const decided = claim.decideOn(state, metadataFor(event));
        events.push(...decided.events);
        state = decided.state;
      } catch (refusal) {
        if (!isDomainError(refusal)) throw refusal;
        unclaimed.push(unclaimedOf(event, refusal));
      }
    }
    const expectedRevision = start.revision ?? 'no_stream';
    streams.set(streamId, { append: { streamId, expectedRevision, events }, state });
  }
  return { streams, unclaimed };
}

const unclaimedOf = (event: UpcastStoredEvent, refusal: DomainError): UnclaimedEvent => ({
  streamId: event.streamId,
  eventId: event.eventId,
  position: String(event.position),
  type: event.type,
  code: refusal.code,
  details: refusal.details,
});

async function take(
  executor: CommandExecutor,
  { event, claim }: PendingClaim,
  report: ClaimsBackfillReport,
): Promise<void> {
  try {
    if ((await claim.take(executor, metadataFor(event))).taken) report.written += 1;
  } catch (refusal) {
    if (!isDomainError(refusal)) throw refusal;
    report.unclaimed.push(unclaimedOf(event, refusal));
  }
}

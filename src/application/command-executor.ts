import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { v5 as uuidv5 } from 'uuid';
import {
  foldEvents,
  type Decider,
  type DomainCommand,
  type DomainEvent,
  type Unstamped,
} from '../domain/shared/decider';
import type { EventMetadata, NewEvent } from '../eventstore/event';
import { WrongExpectedRevisionError } from '../eventstore/errors';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  StreamAppend,
} from '../eventstore/event-store.port';
import { EVENT_STORE } from '../tokens';
import { upcastStored } from '../../upcasters';
import { foldStored } from './fold-stored';

export interface LoadedStream<S> {
  streamId: string;
  state: S;
  /** Revision of the stream's last event; undefined when the stream has none. */
  revision: number | undefined;
}

export interface StampedEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
}

export interface CommandResult {
  streamId: string;
  /** The stream's revision after the command (unchanged when it decided nothing). */
  revision: number | undefined;
  /** Global position of the last appended event, as a string; undefined when nothing was appended. */
  position: string | undefined;
  events: StampedEvent[];
}

/**
 * What a caller asks for beyond the command: the revision it read (HTTP `If-Match`), or
 * `no_stream` for a stream it knows to be new (named by an id generated for this command).
 */
export type ExpectedStreamRevision = number | 'stream_exists' | 'no_stream';

export interface ExecuteOptions {
  /**
   * The stream is most likely new (a claim on a code nobody has used): decide on the empty state
   * and append expecting no stream, and read the stream only when that append is refused. Saves
   * the read of a stream that is not there; costs a refused append when it is.
   */
  likelyNew?: boolean;
}

/**
 * An append to another stream that goes with a command's own, decided on that stream's state as
 * this executor knows it (undefined: the stream is new); a claim (cross-stream-claims.ts).
 */
export interface CoAppend {
  streamId: string;
  /** The events to append; throws the refusal the stream's own command would give. */
  decide(state: unknown): NewEvent[];
}

/** A stream's state as folded up to `revision`, by the decider that folded it. */
interface FoldedStream {
  decider: object;
  revision: number;
  state: unknown;
}

/**
 * Streams whose folded state is kept: the hot ones are then loaded by reading only their new
 * events. A state is at most some tens of kB (a supplier project with its instances), so memory
 * stays within tens of MB.
 */
const FOLDED_STREAMS_KEPT = 2_000;

/** A command without If-Match is decided again this many times when a writer overtakes it. */
const ATTEMPTS = 10;
/** The pause before attempt n is random up to n × this: concurrent losers spread out. */
const BACKOFF_STEP_MS = 5;

/** Writers kept overtaking a command without If-Match on every attempt: 503, retry later. */
export class StreamContendedError extends Error {
  readonly code = 'STREAM.CONTENDED';
  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super(`stream ${streamId}: other writers got in first ${attempts} times; retry later`);
    this.name = 'StreamContendedError';
  }
}

/** The id of a keyed command's `index`th event: a re-run appends the same ids. */
const eventIdOf = (seed: string, index: number): string => uuidv5(`event:${index}`, seed);

/**
 * The one load → upcast → fold → decide → append loop every command handler runs. A concurrent
 * writer is caught by the append's expected revision, never overwritten.
 *
 * Folded states are cached by stream (least recently used first out). This is safe because a
 * stream only ever grows and its events never change: a load reads the events after the cached
 * revision, whoever appended them (another process included), and folds them onto the cached
 * state. `evolve` returns new states and never changes the one it is given, so a state shared by
 * concurrent loads is never altered under them.
 *
 * A command on a cached stream is first decided on the cached state without reading at all: the
 * append, expecting the cached revision, is what checks that nobody wrote since. A stream the
 * caller knows to be new (`no_stream`) is decided on the empty state the same way. Only when that
 * shortcut cannot answer for certain (the append is refused, the decision is a no-op or an error,
 * If-Match names another revision) is the command decided again on a state read from the store,
 * so every answer is one a read-first executor would give. On a hot stream this saves one of the
 * command's round trips to the store.
 */
@Injectable()
export class CommandExecutor {
  private readonly folded = new LRUCache<string, FoldedStream>({ max: FOLDED_STREAMS_KEPT });

  constructor(
    @Inject(EVENT_STORE)
    private readonly store: Pick<EventStore, 'readStream' | 'append'> &
      Partial<Pick<EventStore, 'appendAtomically'>>,
  ) {}

  /** Folds a stream through the upcaster chain; other aggregates use it for cross-stream checks. */
  async load<C extends DomainCommand, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
  ): Promise<LoadedStream<S>> {
    const cached = this.folded.get(streamId);
    const from = cached?.decider === decider ? cached : undefined;
    const stored = await this.store.readStream(
      streamId,
      from && { fromRevision: from.revision + 1 },
    );
    const state = foldStored(
      decider,
      streamId,
      from ? (from.state as S) : decider.initialState,
      stored.flatMap(upcastStored),
    );
    const revision = stored.at(-1)?.revision ?? from?.revision;
    if (revision !== undefined) this.remember(streamId, { decider, revision, state });
    return { streamId, state, revision };
  }

  /** When the store recorded a stream's event; undefined when the stream has no such revision. */
  async recordedAt(streamId: string, revision: number): Promise<string | undefined> {
    const [event] = await this.store.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    return event?.revision === revision ? event.metadata.recordedAt : undefined;
  }

  private remember(streamId: string, folded: FoldedStream): void {
    // A slower concurrent load of the same stream must not put an older state back.
    const latest = this.folded.get(streamId);
    if (latest?.decider === folded.decider && latest.revision >= folded.revision) return;
    this.folded.set(streamId, folded);
  }

  /**
   * Decides `commandFor(state)` on the stream and appends the result. `commandFor` lets a handler
   * complete the command from the state it was decided on (a field read from another stream).
   * Without an expected revision (no If-Match) a command is decided again on the stream as
   * stored when another writer got in first, up to ATTEMPTS times; with one, that is a 409.
   */
  async execute<C extends DomainCommand, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    expected: ExpectedStreamRevision | undefined,
    commandFor: (state: S) => C | Promise<C>,
    { likelyNew = false }: ExecuteOptions = {},
  ): Promise<CommandResult> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.executeOnce(decider, streamId, expected, commandFor, likelyNew);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || expected !== undefined) throw error;
        if (attempt >= ATTEMPTS) throw new StreamContendedError(streamId, attempt);
        await sleep(randomInt(attempt * BACKOFF_STEP_MS + 1));
      }
    }
  }

  private async executeOnce<C extends DomainCommand, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    expected: ExpectedStreamRevision | undefined,
    commandFor: (state: S) => C | Promise<C>,
    likelyNew: boolean,
  ): Promise<CommandResult> {
    const known = this.knownState(decider, streamId, expected, likelyNew);
    if (known) {
      const shortcut = await this.decideUnread(decider, known, commandFor);
      if (shortcut) return shortcut;
    }
    const loaded = await this.load(decider, streamId);
    const command = await commandFor(loaded.state);
    const earlier = await this.earlierOutcome(streamId, command);
    if (earlier) return earlier;
    // A stale If-Match fails before deciding, so a no-op cannot hide that the caller is behind.
    if (typeof expected === 'number' && expected !== loaded.revision) {
      throw new WrongExpectedRevisionError(streamId, expected, loaded.revision);
    }
    if (expected === 'stream_exists' && loaded.revision === undefined) {
      throw new WrongExpectedRevisionError(streamId, expected, undefined);
    }
    if (expected === 'no_stream' && loaded.revision !== undefined) {
      throw new WrongExpectedRevisionError(streamId, expected, loaded.revision);
    }
    const decided = decider.decide(command, loaded.state);
    if (decided.length === 0) {
      return { streamId, revision: loaded.revision, position: undefined, events: [] };
    }
    // The revision the decision was made on, whatever the caller sent: a writer that appended
    // meanwhile makes this append fail (409) instead of being silently overtaken.
    return this.append(decider, loaded, command, decided);
  }

  /**
   * A command on a new stream and the appends that go with it (its claims), decided without
   * reading and appended in one all-or-nothing append: one round trip for what otherwise takes
   * one per stream. Undefined, with nothing written, when that cannot answer for certain: the
   * store has no such appends, another stream is not known to be new (this process has seen
   * it), a decision refuses or writes nothing, or a stream turns out to exist. The caller then
   * goes the long way, which gives every answer its proper form.
   */
  async executeNewWithCoAppends<C extends DomainCommand, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
    coAppends: CoAppend[],
  ): Promise<CommandResult | undefined> {
    const appendAtomically = this.store.appendAtomically?.bind(this.store);
    if (appendAtomically === undefined) return undefined;
    if (command.metadata.idempotency?.resumed) return undefined;
    if ([streamId, ...coAppends.map((a) => a.streamId)].some((id) => this.folded.has(id))) {
      return undefined;
    }
    let decided: Array<Unstamped<E>>;
    let others: StreamAppend[];
    try {
      decided = decider.decide(command, decider.initialState);
      others = coAppends.map((a) => ({
        streamId: a.streamId,
        expectedRevision: 'no_stream',
        events: a.decide(undefined),
      }));
    } catch {
      return undefined;
    }
    if (decided.length === 0 || others.some((a) => a.events.length === 0)) return undefined;
    const events = decided.map((e, index) => stamp(e, command.metadata, index));
    let results: AppendResult[];
    try {
      results = await appendAtomically([
        ...others,
        { streamId, expectedRevision: 'no_stream', events },
      ]);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return undefined;
      throw error;
    }
    const initial = { streamId, state: decider.initialState, revision: undefined };
    return this.appended(decider, initial, decided, events, results.at(-1)!);
  }

  /**
   * The state a command can be decided on without reading, if any: the cached one (unless
   * If-Match names another revision), or the empty one of a stream the caller knows (or, with
   * no expected revision, expects) to be new.
   */
  private knownState<C extends DomainCommand, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    expected: ExpectedStreamRevision | undefined,
    likelyNew: boolean,
  ): LoadedStream<S> | undefined {
    const cached = this.folded.get(streamId);
    if (cached === undefined) {
      return expected === 'no_stream' || (likelyNew && expected === undefined)
        ? { streamId, state: decider.initialState, revision: undefined }
        : undefined;
    }
    const fits =
      expected === undefined || expected === 'stream_exists' || expected === cached.revision;
    return cached.decider === decider && fits
      ? { streamId, state: cached.state as S, revision: cached.revision }
      : undefined;
  }

  /**
   * The command decided on a known state and appended expecting its revision, or undefined when
   * only a state read from the store can tell the answer: the decision wrote nothing or failed
   * (either may come from a stale state), or the stream has moved on since.
   */
  private async decideUnread<C extends DomainCommand, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    loaded: LoadedStream<S>,
    commandFor: (state: S) => C | Promise<C>,
  ): Promise<CommandResult | undefined> {
    let command: C;
    let decided: Array<Unstamped<E>>;
    try {
      command = await commandFor(loaded.state);
      decided = decider.decide(command, loaded.state);
    } catch {
      return undefined;
    }
    // An earlier attempt may have written: only the stream as stored can tell.
    if (command.metadata.idempotency?.resumed) return undefined;
    if (decided.length === 0) return undefined;
    try {
      return await this.append(decider, loaded, command, decided);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return undefined;
      throw error;
    }
  }

  /**
   * What an earlier attempt of a resumed keyed command appended, answered as it was then: its
   * events are found by the ids derived from the key. Undefined when it appended nothing.
   */
  private async earlierOutcome(
    streamId: string,
    command: DomainCommand,
  ): Promise<CommandResult | undefined> {
    const keyed = command.metadata.idempotency;
    if (!keyed?.resumed) return undefined;
    // The whole stream, not the cached state: the earlier events may be anywhere in it.
    const stored = await this.store.readStream(streamId);
    const first = stored.findIndex((e) => e.eventId === eventIdOf(keyed.seed, 0));
    if (first === -1) return undefined;
    const written = stored.slice(first).filter((e, i) => e.eventId === eventIdOf(keyed.seed, i));
    const last = written.at(-1)!;
    return {
      streamId,
      revision: last.revision,
      position: last.position.toString(),
      events: written.map(({ eventId, type, data }) => ({ eventId, type, data })),
    };
  }

  private async append<C extends DomainCommand, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    loaded: LoadedStream<S>,
    command: C,
    decided: Array<Unstamped<E>>,
  ): Promise<CommandResult> {
    const { streamId } = loaded;
    const events = decided.map((e, index) => stamp(e, command.metadata, index));
    const expectedRevision: ExpectedRevision = loaded.revision ?? 'no_stream';
    const appended = await this.store.append(streamId, events, expectedRevision);
    return this.appended(decider, loaded, decided, events, appended);
  }

  /** The result of an append of `decided` on `loaded`, whose folded state is kept. */
  private appended<C extends DomainCommand, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    loaded: LoadedStream<S>,
    decided: Array<Unstamped<E>>,
    events: NewEvent[],
    appended: AppendResult,
  ): CommandResult {
    if (appended.written === events.length) {
      // What was just appended is what was decided: the next command need not read it back.
      const state = foldEvents(decider, loaded.state, decided);
      const revision = appended.nextExpectedRevision;
      this.remember(loaded.streamId, { decider, revision, state });
    }
    return {
      streamId: loaded.streamId,
      revision: appended.nextExpectedRevision,
      position: appended.position.toString(),
      events: events.map(({ eventId, type, data }) => ({ eventId, type, data })),
    };
  }
}

/** An event decided for a command, as the executor appends it (a keyed command's ids derived). */
export const stamp = (
  event: Unstamped<DomainEvent>,
  metadata: DomainCommand['metadata'],
  index: number,
): NewEvent => {
  const { occurredAt, actor, onBehalfOf, correlationId, causationId, idempotency } = metadata;
  const stamped: EventMetadata = { occurredAt, actor };
  if (onBehalfOf !== undefined) stamped.onBehalfOf = onBehalfOf;
  if (correlationId !== undefined) stamped.correlationId = correlationId;
  if (causationId !== undefined) stamped.causationId = causationId;
  return {
    eventId: idempotency ? eventIdOf(idempotency.seed, index) : randomUUID(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: { ...event.data },
    metadata: stamped,
  };
};

import { Inject, Injectable, type Type } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Decider, DomainCommand, DomainEvent } from '../domain/shared/decider';
import { isDomainError } from '../domain/shared/domain-error';
import { ClaimsBackfillGate } from './claims-backfill-gate';
import { CommandExecutor, type CoAppend, type CommandResult } from './command-executor';
import type { Claim, ClaimRequest } from './cross-stream-claims';
import type { CommandClasses, CommandRequest, DeciderCommand } from './decider.command';

/** What a command needs beyond its own stream; `K` is what its class carries. */
export interface HandlerHooks<K, C, S> {
  /** A check against other streams, made before the command's own stream is loaded. */
  check?: (command: K, executor: CommandExecutor) => Promise<void>;
  /**
   * Claims in other streams (cross-stream-claims.ts), made after `check` and before the command's
   * own append; undone when the command is then refused (a domain error).
   */
  claim?: (command: K, executor: CommandExecutor) => Promise<Claim[]>;
  /**
   * Claims that need no read to be named, taken like `claim`'s. A command on a new stream makes
   * them in the same append as its own events where the store allows it (one round trip, and
   * nothing to undo), and the long way otherwise.
   */
  claims?: (command: K) => ClaimRequest[];
  /** Completes the command from the state it is decided on (a field read from another stream). */
  complete?: (command: K, state: S, executor: CommandExecutor) => Promise<C>;
}

type Carried<X> = X extends new (request: CommandRequest<infer K>) => unknown ? K : never;

/** A class that carries less than its domain command needs a `complete` hook. */
type HooksByCommand<M, C, S> = {
  [T in keyof M as [Carried<M[T]>] extends [C] ? T : never]?: HandlerHooks<Carried<M[T]>, C, S>;
} & {
  [T in keyof M as [Carried<M[T]>] extends [C] ? never : T]: HandlerHooks<Carried<M[T]>, C, S> &
    Required<Pick<HandlerHooks<Carried<M[T]>, C, S>, 'complete'>>;
};

/** A claim, as an append that goes with the command's own (decided on the same metadata). */
const coAppendOf =
  ({ metadata }: DomainCommand) =>
  (request: ClaimRequest): CoAppend => ({
    streamId: request.streamId,
    decide: (state) => request.decideOn(state, metadata).events,
  });

type AnyHandler = Type<ICommandHandler<DeciderCommand<DomainCommand>, CommandResult>>;

/**
 * The load/decide/append handler of one command class, registered on the bus for that class.
 * The class was built from a route whose payload is the domain command's schema (validated by
 * the pipe), which is why its command is taken as the decider's.
 */
function deciderHandler<C extends DomainCommand, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  commandClass: Type<DeciderCommand<DomainCommand>>,
  { check, claim, claims, complete }: HandlerHooks<DomainCommand, C, S>,
): AnyHandler {
  @CommandHandler(commandClass)
  @Injectable()
  class Handler implements ICommandHandler<DeciderCommand<DomainCommand>, CommandResult> {
    constructor(
      @Inject(CommandExecutor) readonly executor: CommandExecutor,
      @Inject(ClaimsBackfillGate) readonly claimsBackfill: ClaimsBackfillGate,
    ) {}

    async execute({
      command,
      expectedRevision,
    }: DeciderCommand<DomainCommand>): Promise<CommandResult> {
      const requests = claims?.(command) ?? [];
      const claiming = claim !== undefined || requests.length > 0;
      // A claim taken before the backfill has seeded what the log held could repeat a legacy one.
      if (claiming) this.claimsBackfill.assertDone();
      await check?.(command, this.executor);
      const decided = command as C;
      const streamId = decider.streamIdFor(decided);
      // A new stream whose claims need nothing else: all of it in one append, where it can be.
      const together =
        requests.length > 0 && !claim && !complete && expectedRevision === 'no_stream';
      const atOnce = together
        ? await this.executor.executeNewWithCoAppends(
            decider,
            streamId,
            decided,
            requests.map(coAppendOf(decided)),
          )
        : undefined;
      if (atOnce) return atOnce;
      const completed = complete
        ? (state: S) => complete(command, state, this.executor)
        : () => decided;
      // Decided once beforehand, so that a command its own stream refuses claims nothing; not
      // a resumed one, whose first attempt may have written (the executor answers that outcome).
      if (claiming && !decided.metadata.idempotency?.resumed) {
        // A stream named by an id made for this request holds nothing yet: no need to read it.
        const { state } =
          expectedRevision === 'no_stream'
            ? { state: decider.initialState }
            : await this.executor.load(decider, streamId);
        decider.decide(await completed(state), state);
      }
      const taken = (await claim?.(command, this.executor)) ?? [];
      for (const request of requests)
        taken.push(await request.take(this.executor, decided.metadata));
      try {
        return await this.executor.execute(decider, streamId, expectedRevision, completed);
      } catch (error) {
        // Refused for good (4xx): what it claimed is free again. Any other failure keeps the
        // claims for the retry, which finds them its own.
        if (isDomainError(error)) await Promise.all(taken.map((c) => c.undo()));
        throw error;
      }
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${commandClass.name}Handler` });
  return Handler;
}

/** One handler per command class of an aggregate, each with the hooks of its command type. */
export function deciderHandlers<
  C extends DomainCommand,
  E extends DomainEvent,
  S,
  M extends CommandClasses<C>,
>(
  decider: Decider<C, E, S>,
  commands: M,
  ...[hooks]: object extends HooksByCommand<M, C, S>
    ? [hooks?: HooksByCommand<M, C, S>]
    : [hooks: HooksByCommand<M, C, S>]
): AnyHandler[] {
  const byType: Partial<Record<string, HandlerHooks<DomainCommand, C, S>>> = hooks ?? {};
  return Object.entries<Type<DeciderCommand<DomainCommand>>>(commands).map(([type, commandClass]) =>
    deciderHandler(decider, commandClass, byType[type] ?? {}),
  );
}

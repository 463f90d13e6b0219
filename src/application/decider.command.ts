import { Command } from '@nestjs/cqrs';
import type { DomainCommand } from '../domain/shared/decider';
import type { CommandResult, ExpectedStreamRevision } from './command-executor';

/** A domain command as it travels on the command bus, with the revision its sender read. */
export interface CommandRequest<C extends DomainCommand> {
  command: C;
  /** HTTP `If-Match`: the append fails (409) unless the stream is still at this revision. */
  expectedRevision?: ExpectedStreamRevision;
}

/**
 * Base of every command class: the bus routes by class, so each domain command gets a subclass
 * of its own, and the payload stays the domain's zod-inferred type (one definition, no copy).
 */
export abstract class DeciderCommand<C extends DomainCommand> extends Command<CommandResult> {
  readonly command: C;
  readonly expectedRevision: ExpectedStreamRevision | undefined;

  constructor(request: CommandRequest<C>) {
    super();
    this.command = request.command;
    this.expectedRevision = request.expectedRevision;
  }
}

/** The class of a command of type `T`; it may carry less than the domain command (see hooks). */
export type CommandClass<C extends DomainCommand, T extends C['type'] = C['type']> = new (
  request: CommandRequest<Extract<C, { type: T }>>,
) => DeciderCommand<DomainCommand & { type: T }>;

/**
 * An aggregate's command classes by domain command type. Checked with `satisfies` against the
 * domain's command union, so a domain command without its class does not compile.
 */
export type CommandClasses<C extends DomainCommand> = {
  readonly [T in C['type']]: CommandClass<C, T>;
};

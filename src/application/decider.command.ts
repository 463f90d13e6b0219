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

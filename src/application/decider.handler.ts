import { Inject, Injectable, type Type } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { Decider, DomainCommand, DomainEvent } from '../domain/shared/decider';
import { CommandExecutor, type CommandResult } from './command-executor';
import type { DeciderCommand } from './decider.command';

/** A check against other streams, made before the command's own stream is loaded. */
export type CrossStreamCheck<K> = (command: K, executor: CommandExecutor) => Promise<void>;

/**
 * The handler of a command decided on its own stream, after an optional cross-stream check.
 * Each command's handler is a subclass (the bus routes one class per command), so the
 * load/decide/append loop is written once.
 */
export function DeciderHandler<C extends DomainCommand, E extends DomainEvent, S, K extends C = C>(
  decider: Decider<C, E, S>,
  check?: CrossStreamCheck<K>,
): Type<ICommandHandler<DeciderCommand<K>, CommandResult>> {
  @Injectable()
  class Handler implements ICommandHandler<DeciderCommand<K>, CommandResult> {
    constructor(@Inject(CommandExecutor) readonly executor: CommandExecutor) {}

    async execute({ command, expectedRevision }: DeciderCommand<K>): Promise<CommandResult> {
      await check?.(command, this.executor);
      return this.executor.execute(
        decider,
        decider.streamIdFor(command),
        expectedRevision,
        () => command,
      );
    }
  }
  return Handler;
}

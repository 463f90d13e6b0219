import { Controller, Inject, type Type } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandResult } from '../../application/command-executor';
import type { CommandRequest, DeciderCommand } from '../../application/decider.command';
import type { DomainCommand } from '../../domain/shared/decider';
import { CommandEndpoint, CommandInput } from './command-endpoint';
import type { CommandRoute } from './command-route';

type SendableCommand = new (
  request: CommandRequest<DomainCommand>,
) => DeciderCommand<DomainCommand>;

/**
 * An aggregate's controller, one method per route, so a route is written once: each method
 * only sends the route's command class on the bus. The pipe built the request from the route's
 * payload, which is that command's schema, so the class takes it as its own.
 */
export function commandController(
  aggregate: string,
  routes: Readonly<Record<string, CommandRoute>>,
  commands: Readonly<Record<string, Type<DeciderCommand<DomainCommand>>>>,
): Type {
  @Controller()
  class AggregateController {
    constructor(@Inject(CommandBus) readonly commandBus: CommandBus) {}
  }
  const prototype: object = AggregateController.prototype;
  for (const [name, route] of Object.entries(routes)) {
    const commandClass = commands[route.command] as SendableCommand | undefined;
    if (commandClass === undefined) {
      throw new Error(
        `${route.method} ${route.path}: ${aggregate} has no command ${route.command}`,
      );
    }
    const send = function (
      this: AggregateController,
      request: CommandRequest<DomainCommand>,
    ): Promise<CommandResult> {
      return this.commandBus.execute(new commandClass(request));
    };
    Object.defineProperty(prototype, name, { value: send, writable: true, configurable: true });
    CommandEndpoint(route)(prototype, name, { value: send });
    CommandInput(route)(prototype, name, 0);
  }
  Object.defineProperty(AggregateController, 'name', { value: `${aggregate}Controller` });
  return AggregateController;
}

import { Controller, Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandResult } from '../../application/command-executor';
import type { CommandRequest } from '../../application/decider.command';
import { RegisterSupplierCommand } from '../../application/supplier/register-supplier.command';
import { RenameSupplierCommand } from '../../application/supplier/rename-supplier.command';
import type { RegisterSupplier, RenameSupplier } from '../../domain/supplier/supplier.commands';
import { CommandEndpoint, CommandInput } from '../commands/command-route';
import { SupplierRoutes as routes } from './supplier.routes';

@Controller()
export class SupplierController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @CommandEndpoint(routes.register)
  register(
    @CommandInput(routes.register) request: CommandRequest<RegisterSupplier>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new RegisterSupplierCommand(request));
  }

  @CommandEndpoint(routes.rename)
  rename(
    @CommandInput(routes.rename) request: CommandRequest<RenameSupplier>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new RenameSupplierCommand(request));
  }
}

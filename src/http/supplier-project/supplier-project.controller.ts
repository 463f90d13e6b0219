import { Controller, Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandResult } from '../../application/command-executor';
import type { CommandRequest } from '../../application/decider.command';
import type { CreateSupplierTaskInstanceRequest } from '../../application/supplier-project/create-supplier-task-instance.command';
import { CreateSupplierProjectInstanceCommand } from '../../application/supplier-project/create-supplier-project-instance.command';
import { CreateSupplierTaskInstanceCommand } from '../../application/supplier-project/create-supplier-task-instance.command';
import { StartSupplierTaskCommand } from '../../application/supplier-project/start-supplier-task.command';
import { CompleteSupplierTaskCommand } from '../../application/supplier-project/complete-supplier-task.command';
import { ReopenSupplierTaskCommand } from '../../application/supplier-project/reopen-supplier-task.command';
import { AddSupplierTaskNoteCommand } from '../../application/supplier-project/add-supplier-task-note.command';
import { OverrideSupplierTaskDueDateCommand } from '../../application/supplier-project/override-supplier-task-due-date.command';
import { ClearSupplierTaskDueDateOverrideCommand } from '../../application/supplier-project/clear-supplier-task-due-date-override.command';
import type {
  CreateSupplierProjectInstance,
  StartSupplierTask,
  CompleteSupplierTask,
  ReopenSupplierTask,
  AddSupplierTaskNote,
  OverrideSupplierTaskDueDate,
  ClearSupplierTaskDueDateOverride,
} from '../../domain/supplier-project/supplier-project.commands';
import { CommandEndpoint, CommandInput } from '../commands/command-route';
import { SupplierProjectRoutes as routes } from './supplier-project.routes';

@Controller()
export class SupplierProjectController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @CommandEndpoint(routes.create)
  create(
    @CommandInput(routes.create) request: CommandRequest<CreateSupplierProjectInstance>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new CreateSupplierProjectInstanceCommand(request));
  }

  @CommandEndpoint(routes.createTask)
  createTask(
    @CommandInput(routes.createTask) request: CommandRequest<CreateSupplierTaskInstanceRequest>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new CreateSupplierTaskInstanceCommand(request));
  }

  @CommandEndpoint(routes.start)
  start(
    @CommandInput(routes.start) request: CommandRequest<StartSupplierTask>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new StartSupplierTaskCommand(request));
  }

  @CommandEndpoint(routes.complete)
  complete(
    @CommandInput(routes.complete) request: CommandRequest<CompleteSupplierTask>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new CompleteSupplierTaskCommand(request));
  }

  @CommandEndpoint(routes.reopen)
  reopen(
    @CommandInput(routes.reopen) request: CommandRequest<ReopenSupplierTask>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new ReopenSupplierTaskCommand(request));
  }

  @CommandEndpoint(routes.addNote)
  addNote(
    @CommandInput(routes.addNote) request: CommandRequest<AddSupplierTaskNote>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new AddSupplierTaskNoteCommand(request));
  }

  @CommandEndpoint(routes.overrideDueDate)
  overrideDueDate(
    @CommandInput(routes.overrideDueDate) request: CommandRequest<OverrideSupplierTaskDueDate>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new OverrideSupplierTaskDueDateCommand(request));
  }

  @CommandEndpoint(routes.clearDueDateOverride)
  clearDueDateOverride(
    @CommandInput(routes.clearDueDateOverride)
    request: CommandRequest<ClearSupplierTaskDueDateOverride>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new ClearSupplierTaskDueDateOverrideCommand(request));
  }
}

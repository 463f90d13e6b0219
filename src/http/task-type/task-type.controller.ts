import { Controller, Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandResult } from '../../application/command-executor';
import type { CommandRequest } from '../../application/decider.command';
import { CreateTaskTypeCommand } from '../../application/task-type/create-task-type.command';
import { RenameTaskTypeCommand } from '../../application/task-type/rename-task-type.command';
import { ChangeTaskTypeCategoryCommand } from '../../application/task-type/change-task-type-category.command';
import { CreateTaskTypeSectionCommand } from '../../application/task-type/create-task-type-section.command';
import { RenameTaskTypeSectionCommand } from '../../application/task-type/rename-task-type-section.command';
import { DeleteTaskTypeSectionCommand } from '../../application/task-type/delete-task-type-section.command';
import { CreateTaskCommand } from '../../application/task-type/create-task.command';
import { RenameTaskCommand } from '../../application/task-type/rename-task.command';
import { MoveTaskToSectionCommand } from '../../application/task-type/move-task-to-section.command';
import type {
  CreateTaskType,
  RenameTaskType,
  ChangeTaskTypeCategory,
  CreateTaskTypeSection,
  RenameTaskTypeSection,
  DeleteTaskTypeSection,
  CreateTask,
  RenameTask,
  MoveTaskToSection,
} from '../../domain/task-type/task-type.commands';
import { CommandEndpoint, CommandInput } from '../commands/command-route';
import { TaskTypeRoutes as routes } from './task-type.routes';

@Controller()
export class TaskTypeController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @CommandEndpoint(routes.create)
  create(
    @CommandInput(routes.create) request: CommandRequest<CreateTaskType>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new CreateTaskTypeCommand(request));
  }

  @CommandEndpoint(routes.rename)
  rename(
    @CommandInput(routes.rename) request: CommandRequest<RenameTaskType>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new RenameTaskTypeCommand(request));
  }

  @CommandEndpoint(routes.changeCategory)
  changeCategory(
    @CommandInput(routes.changeCategory) request: CommandRequest<ChangeTaskTypeCategory>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new ChangeTaskTypeCategoryCommand(request));
  }

  @CommandEndpoint(routes.createSection)
  createSection(
    @CommandInput(routes.createSection) request: CommandRequest<CreateTaskTypeSection>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new CreateTaskTypeSectionCommand(request));
  }

  @CommandEndpoint(routes.renameSection)
  renameSection(
    @CommandInput(routes.renameSection) request: CommandRequest<RenameTaskTypeSection>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new RenameTaskTypeSectionCommand(request));
  }

  @CommandEndpoint(routes.deleteSection)
  deleteSection(
    @CommandInput(routes.deleteSection) request: CommandRequest<DeleteTaskTypeSection>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new DeleteTaskTypeSectionCommand(request));
  }

  @CommandEndpoint(routes.createTask)
  createTask(
    @CommandInput(routes.createTask) request: CommandRequest<CreateTask>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new CreateTaskCommand(request));
  }

  @CommandEndpoint(routes.renameTask)
  renameTask(
    @CommandInput(routes.renameTask) request: CommandRequest<RenameTask>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new RenameTaskCommand(request));
  }

  @CommandEndpoint(routes.moveTask)
  moveTask(
    @CommandInput(routes.moveTask) request: CommandRequest<MoveTaskToSection>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new MoveTaskToSectionCommand(request));
  }
}

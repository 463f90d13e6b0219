import { Controller, Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandResult } from '../../application/command-executor';
import type { CommandRequest } from '../../application/decider.command';
import { CreateProjectCommand } from '../../application/project/create-project.command';
import { RenameProjectCommand } from '../../application/project/rename-project.command';
import { CreateProjectTaskTemplateCommand } from '../../application/project/create-project-task-template.command';
import { ChangeProjectTaskTemplateDueDateCommand } from '../../application/project/change-project-task-template-due-date.command';
import { RemoveProjectTaskTemplateCommand } from '../../application/project/remove-project-task-template.command';
import type {
  CreateProject,
  RenameProject,
  CreateProjectTaskTemplate,
  ChangeProjectTaskTemplateDueDate,
  RemoveProjectTaskTemplate,
} from '../../domain/project/project.commands';
import { CommandEndpoint, CommandInput } from '../commands/command-route';
import { ProjectRoutes as routes } from './project.routes';

@Controller()
export class ProjectController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @CommandEndpoint(routes.create)
  create(
    @CommandInput(routes.create) request: CommandRequest<CreateProject>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new CreateProjectCommand(request));
  }

  @CommandEndpoint(routes.rename)
  rename(
    @CommandInput(routes.rename) request: CommandRequest<RenameProject>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new RenameProjectCommand(request));
  }

  @CommandEndpoint(routes.createTemplate)
  createTemplate(
    @CommandInput(routes.createTemplate) request: CommandRequest<CreateProjectTaskTemplate>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new CreateProjectTaskTemplateCommand(request));
  }

  @CommandEndpoint(routes.changeTemplateDueDate)
  changeTemplateDueDate(
    @CommandInput(routes.changeTemplateDueDate)
    request: CommandRequest<ChangeProjectTaskTemplateDueDate>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new ChangeProjectTaskTemplateDueDateCommand(request));
  }

  @CommandEndpoint(routes.removeTemplate)
  removeTemplate(
    @CommandInput(routes.removeTemplate) request: CommandRequest<RemoveProjectTaskTemplate>,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new RemoveProjectTaskTemplateCommand(request));
  }
}

import { CommandHandler } from '@nestjs/cqrs';
import { ProjectDeciderHandler } from './project-decider.handler';
import { RenameProjectCommand } from './rename-project.command';

@CommandHandler(RenameProjectCommand)
export class RenameProjectHandler extends ProjectDeciderHandler {}

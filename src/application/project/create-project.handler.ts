import { CommandHandler } from '@nestjs/cqrs';
import { ProjectDeciderHandler } from './project-decider.handler';
import { CreateProjectCommand } from './create-project.command';

@CommandHandler(CreateProjectCommand)
export class CreateProjectHandler extends ProjectDeciderHandler {}

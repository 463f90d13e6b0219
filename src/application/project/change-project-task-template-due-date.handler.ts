import { CommandHandler } from '@nestjs/cqrs';
import { ProjectDeciderHandler } from './project-decider.handler';
import { ChangeProjectTaskTemplateDueDateCommand } from './change-project-task-template-due-date.command';

@CommandHandler(ChangeProjectTaskTemplateDueDateCommand)
export class ChangeProjectTaskTemplateDueDateHandler extends ProjectDeciderHandler {}

import { CommandHandler } from '@nestjs/cqrs';
import { ProjectDeciderHandler } from './project-decider.handler';
import { RemoveProjectTaskTemplateCommand } from './remove-project-task-template.command';

/**
 * NOT CHECKED: that no supplier task instance still references the template. Instances live in
 * every supplier project stream of the project, and answering that needs a read model (instances
 * by template) this handler does not have; scanning the log per command would not scale. Until a
 * projection serves it, a removal leaves such instances pointing at a removed template.
 */
@CommandHandler(RemoveProjectTaskTemplateCommand)
export class RemoveProjectTaskTemplateHandler extends ProjectDeciderHandler {}

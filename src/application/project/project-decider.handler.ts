import { projectDecider } from '../../domain/project/project.decider';
import { DeciderHandler } from '../decider.handler';

/** Base of the handlers of commands that need the project stream alone. */
export const ProjectDeciderHandler = DeciderHandler(projectDecider);

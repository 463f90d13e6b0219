import type { MoveTaskToSection } from '../../domain/task-type/task-type.commands';
import { DeciderCommand } from '../decider.command';

/** A top-level task takes its sub-tasks with it, in one append. */
export class MoveTaskToSectionCommand extends DeciderCommand<MoveTaskToSection> {}

import type { ChangeTaskTypeCategory } from '../../domain/task-type/task-type.commands';
import { DeciderCommand } from '../decider.command';

export class ChangeTaskTypeCategoryCommand extends DeciderCommand<ChangeTaskTypeCategory> {}

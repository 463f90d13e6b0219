import type { StartSupplierTask } from '../../domain/supplier-project/supplier-project.commands';
import { DeciderCommand } from '../decider.command';

/** NOT_STARTED → IN_PROGRESS; any other starting status is rejected (422). */
export class StartSupplierTaskCommand extends DeciderCommand<StartSupplierTask> {}

import type { ReopenSupplierTask } from '../../domain/supplier-project/supplier-project.commands';
import { DeciderCommand } from '../decider.command';

/** COMPLETED → IN_PROGRESS; any other starting status is rejected (422). */
export class ReopenSupplierTaskCommand extends DeciderCommand<ReopenSupplierTask> {}

import type { CompleteSupplierTask } from '../../domain/supplier-project/supplier-project.commands';
import { DeciderCommand } from '../decider.command';

/** IN_PROGRESS → COMPLETED; any other starting status is rejected (422). */
export class CompleteSupplierTaskCommand extends DeciderCommand<CompleteSupplierTask> {}

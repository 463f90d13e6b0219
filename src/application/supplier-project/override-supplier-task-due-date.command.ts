import type { OverrideSupplierTaskDueDate } from '../../domain/supplier-project/supplier-project.commands';
import { DeciderCommand } from '../decider.command';

/** The same override again appends nothing. */
export class OverrideSupplierTaskDueDateCommand extends DeciderCommand<OverrideSupplierTaskDueDate> {}

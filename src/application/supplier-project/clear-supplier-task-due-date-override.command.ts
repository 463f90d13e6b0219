import type { ClearSupplierTaskDueDateOverride } from '../../domain/supplier-project/supplier-project.commands';
import { DeciderCommand } from '../decider.command';

/** Clearing an absent override appends nothing. */
export class ClearSupplierTaskDueDateOverrideCommand extends DeciderCommand<ClearSupplierTaskDueDateOverride> {}

import type { RenameSupplier } from '../../domain/supplier/supplier.commands';
import { DeciderCommand } from '../decider.command';

/** Renaming to the current name appends nothing. */
export class RenameSupplierCommand extends DeciderCommand<RenameSupplier> {}

import type { RegisterSupplier } from '../../domain/supplier/supplier.commands';
import { DeciderCommand } from '../decider.command';

/** A supplier id already registered is a conflict (409), even on a retry without Idempotency-Key. */
export class RegisterSupplierCommand extends DeciderCommand<RegisterSupplier> {}

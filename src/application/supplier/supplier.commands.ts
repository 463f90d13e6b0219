import type {
  RegisterSupplier,
  RenameSupplier,
  SupplierCommand,
} from '../../domain/supplier/supplier.commands';
import { DeciderCommand, type CommandClasses } from '../decider.command';

/** The bus routes by class: one class per domain command, keyed by the command's type. */
export const SupplierCommands = {
  RegisterSupplier: class RegisterSupplierCommand extends DeciderCommand<RegisterSupplier> {},
  RenameSupplier: class RenameSupplierCommand extends DeciderCommand<RenameSupplier> {},
} satisfies CommandClasses<SupplierCommand>;

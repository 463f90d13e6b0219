import { RegisterSupplierHandler } from './register-supplier.handler';
import { RenameSupplierHandler } from './rename-supplier.handler';

export const SupplierHandlers = [RegisterSupplierHandler, RenameSupplierHandler];

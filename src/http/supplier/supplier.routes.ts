import {
  RegisterSupplierPayloadSchema,
  RenameSupplierPayloadSchema,
} from '../../domain/supplier/supplier.commands';
import { commandRoute } from '../commands/command-route';

export const SupplierRoutes = {
  register: commandRoute({
    method: 'POST',
    path: '/suppliers',
    command: 'RegisterSupplier',
    summary: 'Register a supplier',
    description:
      'A supplier id already registered is a conflict (409), even on a retry without Idempotency-Key.',
    payload: RegisterSupplierPayloadSchema,
    newId: 'supplierId',
    newStream: true,
  }),
  rename: commandRoute({
    method: 'PUT',
    path: '/suppliers/:supplierId/name',
    command: 'RenameSupplier',
    summary: 'Rename a supplier (the same name again writes nothing)',
    payload: RenameSupplierPayloadSchema,
  }),
};

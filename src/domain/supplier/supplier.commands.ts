import { z } from 'zod';
import { commandSchema, IdSchema, NonEmptyTextSchema } from '../shared/schemas';

export const RegisterSupplierPayloadSchema = z.object({
  supplierId: IdSchema,
  code: NonEmptyTextSchema,
  name: NonEmptyTextSchema,
});
export const RenameSupplierPayloadSchema = z.object({
  supplierId: IdSchema,
  name: NonEmptyTextSchema,
});

export const RegisterSupplierCommandSchema = commandSchema(
  'RegisterSupplier',
  RegisterSupplierPayloadSchema,
);
export const RenameSupplierCommandSchema = commandSchema(
  'RenameSupplier',
  RenameSupplierPayloadSchema,
);

export const SupplierCommandSchema = z.discriminatedUnion('type', [
  RegisterSupplierCommandSchema,
  RenameSupplierCommandSchema,
]);

export type RegisterSupplier = z.infer<typeof RegisterSupplierCommandSchema>;
export type RenameSupplier = z.infer<typeof RenameSupplierCommandSchema>;
export type SupplierCommand = z.infer<typeof SupplierCommandSchema>;

import { supplierDecider } from '../../domain/supplier/supplier.decider';
import { supplierCodeClaim } from '../cross-stream-claims';
import { deciderHandlers } from '../decider.handler';
import { SupplierCommands } from './supplier.commands';

export const SupplierHandlers = deciderHandlers(supplierDecider, SupplierCommands, {
  // Unique codes (cross-stream-claims.ts): 409 SUPPLIER.CODE_TAKEN naming the holder.
  RegisterSupplier: {
    claims: ({ data }) => [supplierCodeClaim(data)],
  },
});

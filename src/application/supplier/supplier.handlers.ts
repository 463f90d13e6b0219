import { supplierDecider } from '../../domain/supplier/supplier.decider';
import { deciderHandlers } from '../decider.handler';
import { SupplierCommands } from './supplier.commands';

export const SupplierHandlers = deciderHandlers(supplierDecider, SupplierCommands);

import { supplierDecider } from '../../domain/supplier/supplier.decider';
import { DeciderHandler } from '../decider.handler';

/** Base of the handlers of commands that need the supplier stream alone. */
export const SupplierDeciderHandler = DeciderHandler(supplierDecider);

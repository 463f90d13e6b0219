import { supplierProjectDecider } from '../../domain/supplier-project/supplier-project.decider';
import { DeciderHandler } from '../decider.handler';

/** Base of the handlers of commands that need the supplier project stream alone. */
export const SupplierProjectDeciderHandler = DeciderHandler(supplierProjectDecider);

import {
  assertNever,
  ignoreUnknownEvent,
  streamId,
  type Decider,
  type Unstamped,
} from '../shared/decider';
import { conflict, DomainErrorCodes, notFound } from '../shared/domain-error';
import type { SupplierCommand } from './supplier.commands';
import {
  SupplierEventSchema,
  SUPPLIER_EVENT_TYPES,
  SUPPLIER_STREAM_CATEGORY,
  type SupplierEvent,
} from './supplier.events';

export interface Supplier {
  supplierId: string;
  code: string;
  name: string;
}
/** null until the stream's first event: the supplier does not exist yet. */
export type SupplierState = Supplier | null;

export const initialState: SupplierState = null;

const requireSupplier = (state: SupplierState, supplierId: string): Supplier => {
  if (state === null) {
    throw notFound(DomainErrorCodes.SUPPLIER_NOT_FOUND, 'supplier not found', { supplierId });
  }
  return state;
};

export const decide = (
  command: SupplierCommand,
  state: SupplierState,
): Array<Unstamped<SupplierEvent>> => {
  switch (command.type) {
    case 'RegisterSupplier': {
      if (state !== null) {
        throw conflict(DomainErrorCodes.SUPPLIER_ALREADY_EXISTS, 'supplier already registered', {
          supplierId: command.data.supplierId,
        });
      }
      const { supplierId, code, name } = command.data;
      return [{ type: 'SupplierRegistered', schemaVersion: 2, data: { supplierId, code, name } }];
    }
    case 'RenameSupplier': {
      const supplier = requireSupplier(state, command.data.supplierId);
      if (supplier.name === command.data.name) return [];
      const { supplierId, name } = command.data;
      return [{ type: 'SupplierRenamed', schemaVersion: 2, data: { supplierId, name } }];
    }
    default:
      return assertNever(command);
  }
};

export const evolve = (state: SupplierState, event: Unstamped<SupplierEvent>): SupplierState => {
  switch (event.type) {
    case 'SupplierRegistered':
      return { supplierId: event.data.supplierId, code: event.data.code, name: event.data.name };
    case 'SupplierRenamed':
      return state === null ? state : { ...state, name: event.data.name };
    default:
      return ignoreUnknownEvent(event, state);
  }
};

export const supplierDecider: Decider<SupplierCommand, SupplierEvent, SupplierState> = {
  streamCategory: SUPPLIER_STREAM_CATEGORY,
  eventSchema: SupplierEventSchema,
  eventTypes: SUPPLIER_EVENT_TYPES,
  initialState,
  streamIdFor: (command) => streamId(SUPPLIER_STREAM_CATEGORY, command.data.supplierId),
  decide,
  evolve,
};

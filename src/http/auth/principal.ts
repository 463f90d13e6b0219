import type { IncomingMessage } from 'node:http';
import type { Role } from '../../access/roles';

/** Who a request acts as: the key's name, and the user it acts for when it says so. */
export interface Principal {
  keyId: string;
  name: string;
  roles: Role[];
  onBehalfOf?: string;
}

const principals = new WeakMap<IncomingMessage, Principal>();

export const setPrincipal = (req: IncomingMessage, principal: Principal): void => {
  principals.set(req, principal);
};

/** Set by the access guard on every route that is not public. */
export const principalOf = (req: IncomingMessage): Principal | undefined => principals.get(req);

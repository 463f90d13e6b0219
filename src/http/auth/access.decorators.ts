import { SetMetadata } from '@nestjs/common';
import type { Role } from '../../access/roles';

/** What a route requires: one of these roles, or nothing (public). A route without it is refused. */
export type RouteAccess = { roles: Role[] } | { public: true };

export const ROUTE_ACCESS = 'supplier-tasks:route-access';

/** A key holding any one of `roles` (or `admin`) may call the route. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_ACCESS, { roles } satisfies RouteAccess);

/** Reachable without a key. */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_ACCESS, { public: true } satisfies RouteAccess);

import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { ApiKey } from '../../access/api-key.store';
import { KeyAuthenticator } from '../../access/key-authenticator';
import { KeyNameSchema, type Role } from '../../access/roles';
import { RequestValidationError } from '../errors/request-validation.error';
import { ROUTE_ACCESS, type RouteAccess } from './access.decorators';
import { bearerSecret } from './bearer-secret';
import { setPrincipal } from './principal';

/** Roles whose keys may write in a named user's name (`X-On-Behalf-Of`). */
const DELEGATING_ROLES: readonly Role[] = ['writer', 'admin'];

const mayCall = (key: ApiKey, access: RouteAccess | undefined): boolean =>
  access !== undefined &&
  'roles' in access &&
  (key.roles.includes('admin') || access.roles.some((role) => key.roles.includes(role)));

/**
 * Default deny, for every route, before any pipe or handler runs (so a refusal never says
 * whether an entity exists): public routes pass; every other one needs a live key (401) that
 * holds one of the route's roles (403). A route that declares nothing is refused to every key.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(KeyAuthenticator) private readonly keys: KeyAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access !== undefined && 'public' in access) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const secret = bearerSecret(req.headers.authorization);
    const key = secret === undefined ? undefined : await this.keys.authenticate(secret);
    if (key === undefined) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="supplier-tasks"');
      throw new UnauthorizedException(
        secret === undefined
          ? 'send an API key as Authorization: Bearer st_…'
          : 'unknown or revoked API key',
      );
    }
    if (!mayCall(key, access)) {
      const needed = access !== undefined && 'roles' in access ? access.roles.join(' or ') : 'none';
      throw new ForbiddenException(
        `the key ${key.name} lacks the role this route needs (${needed})`,
      );
    }
    setPrincipal(req, {
      keyId: key.id,
      name: key.name,
      roles: key.roles,
      onBehalfOf: this.onBehalfOf(req, key),
    });
    return true;
  }

  private onBehalfOf(req: Request, key: ApiKey): string | undefined {
    const header = req.headers['x-on-behalf-of'];
    if (header === undefined) return undefined;
    if (!key.roles.some((role) => DELEGATING_ROLES.includes(role))) {
      throw new ForbiddenException('only a writer or admin key may act on behalf of a user');
    }
    const name = KeyNameSchema.safeParse(header);
    if (!name.success) {
      throw new RequestValidationError([
        {
          field: 'headers.x-on-behalf-of',
          in: 'header',
          reason: 'a user name of 1 to 200 characters',
        },
      ]);
    }
    return name.data;
  }
}

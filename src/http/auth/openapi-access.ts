import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { OpenApiDocument } from '../openapi/openapi-document';
import { ROUTE_ACCESS, type RouteAccess } from './access.decorators';

const SCHEME = 'apiKey';
const refusal = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/AccessRefusal' } } },
});

const joined = (...parts: string[]): string =>
  `/${parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/')}`;

/** `get /streams/{streamId}/events` → the access the route's handler declares. */
function accessByOperation(controllers: Type[]): Map<string, RouteAccess> {
  const byOperation = new Map<string, RouteAccess>();
  for (const controller of controllers) {
    const base: unknown = Reflect.getMetadata(PATH_METADATA, controller);
    const classAccess: unknown = Reflect.getMetadata(ROUTE_ACCESS, controller);
    const prototype: object = controller.prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler: unknown = Reflect.get(prototype, name);
      if (typeof handler !== 'function') continue;
      const path: unknown = Reflect.getMetadata(PATH_METADATA, handler);
      const method: unknown = Reflect.getMetadata(METHOD_METADATA, handler);
      if (typeof path !== 'string' || typeof method !== 'number') continue;
      const access = (Reflect.getMetadata(ROUTE_ACCESS, handler) ?? classAccess) as
        RouteAccess | undefined;
      if (access === undefined) continue;
      const route = joined(typeof base === 'string' ? base : '', path).replace(/:(\w+)/g, '{$1}');
      byOperation.set(`${RequestMethod[method]?.toLowerCase()} ${route}`, access);
    }
  }
  return byOperation;
}

/**
 * The document with the bearer scheme (so that /docs offers "Authorize" to paste a key) and,
 * on each operation, the roles it requires, read off the same metadata the guard reads.
 */
export function withAccess(document: OpenApiDocument, controllers: Type[]): OpenApiDocument {
  const access = accessByOperation(controllers);
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, operation]) => {
          const required = access.get(`${method} ${path}`);
          if (required === undefined || 'public' in required)
            return [method, { ...(operation as object), security: [] }];
          const op = operation as { description?: string; responses?: object };
          const roles = required.roles.join(' or ');
          return [
            method,
            {
              ...op,
              description: [op.description, `Requires a key with the role ${roles} (or admin).`]
                .filter(Boolean)
                .join(' '),
              security: [{ [SCHEME]: [] }],
              'x-required-roles': required.roles,
              responses: {
                ...op.responses,
                '401': refusal('no key, a malformed, unknown or revoked one'),
                '403': refusal(`the key holds neither ${roles} nor admin`),
                '429': refusal('the key sent more than its rate limit; see Retry-After'),
              },
            },
          ];
        }),
      ),
    ]),
  );
  const components = (document.components ?? {}) as Record<string, Record<string, unknown>>;
  return {
    ...document,
    paths,
    security: [{ [SCHEME]: [] }],
    components: {
      ...components,
      securitySchemes: {
        ...components.securitySchemes,
        [SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key (`st_…`) as `Authorization: Bearer <key>`: `supplier-tasks keys create`.',
        },
      },
      schemas: {
        ...components.schemas,
        AccessRefusal: {
          type: 'object',
          properties: { error: { type: 'string' }, message: { type: 'string' } },
          required: ['error', 'message'],
        },
      },
    },
  };
}

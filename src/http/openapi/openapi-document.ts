import type { Type } from '@nestjs/common';
import { z } from 'zod';
import { COMMAND_ROUTE } from '../commands/command-envelope';
import type { CommandRoute } from '../commands/command-route';
import { auditPaths } from './audit-openapi';
import { CommandResponseSchema } from '../commands/command-response.interceptor';
import {
  ErrorBodySchema,
  RevisionConflictBodySchema,
  ValidationErrorBodySchema,
} from '../errors/error-response';

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, JsonSchema> };

/** The zod schema as JSON Schema 2020-12, which OpenAPI 3.1 uses as it is. */
const jsonSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  });
  return rest;
};

const json = (description: string, schema: z.ZodType): JsonSchema => ({
  description,
  content: { 'application/json': { schema: jsonSchema(schema) } },
});

const header = (name: string, description: string, schema: JsonSchema = { type: 'string' }) => ({
  name,
  in: 'header',
  required: false,
  description,
  schema,
});

const COMMAND_HEADERS = [
  header(
    'If-Match',
    'the stream revision last read (its ETag); stale → 409. `*`: the stream must exist',
  ),
  header(
    'Idempotency-Key',
    'a repeat with the same key and body returns the first response and writes nothing; the same key with another body → 422',
  ),
  header('X-Correlation-Id', 'kept as correlationId on every event; a new uuid when absent'),
  header('X-Request-Id', 'this request; the causationId of the events; a new uuid when absent'),
  header(
    'X-On-Behalf-Of',
    'the user a writer or admin key acts for: kept as onBehalfOf beside the actor (the key name)',
  ),
];

const ERRORS = {
  '400': json('a bad field, named in issues; or malformed JSON', ValidationErrorBodySchema),
  '404': json('an entity the command refers to does not exist', ErrorBodySchema),
  '409': json(
    'stale If-Match (expected/actual), a concurrent writer, an id already used, or an idempotent request still running',
    z.union([RevisionConflictBodySchema, ErrorBodySchema]),
  ),
  '422': json(
    'a broken invariant (code), or an Idempotency-Key reused for another request',
    ErrorBodySchema,
  ),
};

const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

const commandOperation = (route: CommandRoute): JsonSchema => {
  const tag = route.path.split('/')[1] ?? 'commands';
  const shape: Record<string, z.ZodType> = route.params.shape;
  return {
    operationId: route.command,
    tags: [tag],
    summary: route.summary,
    description: [route.description, `Sends the domain command \`${route.command}\`.`]
      .filter((part) => part !== undefined)
      .join(' '),
    parameters: [
      ...route.pathKeys.map((name) => ({
        name,
        in: 'path',
        required: true,
        schema: jsonSchema(shape[name] ?? z.string()),
      })),
      ...COMMAND_HEADERS,
    ],
    requestBody: {
      required: !route.body.safeParse({}).success,
      content: { 'application/json': { schema: jsonSchema(route.body) } },
    },
    responses: {
      [String(route.status)]: {
        ...json(
          'the command was decided; ETag is the stream revision after it',
          CommandResponseSchema,
        ),
        headers: {
          ETag: { schema: { type: 'string' }, description: 'the stream revision, quoted' },
        },
      },
      ...ERRORS,
    },
  };
};

const commandRoutesOf = (controller: Type): CommandRoute[] => {
  const prototype: object = controller.prototype;
  return Object.getOwnPropertyNames(prototype).flatMap((name) => {
    const method: unknown = Reflect.get(prototype, name);
    if (typeof method !== 'function') return [];
    const route: unknown = Reflect.getMetadata(COMMAND_ROUTE, method);
    return route === undefined ? [] : [route as CommandRoute];
  });
};

/**
 * The OpenAPI document, read off the controllers' own route metadata: the request schemas are
 * the very zod schemas the validation pipe runs, so the document cannot drift from the API.
 */
export function buildOpenApiDocument(commandControllers: Type[]): OpenApiDocument {
  const paths: Record<string, JsonSchema> = {};
  for (const route of commandControllers.flatMap(commandRoutesOf)) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: commandOperation(route) };
  }
  Object.assign(paths, auditPaths(jsonSchema));
  return {
    openapi: '3.1.0',
    info: {
      title: 'supplier-tasks commands',
      version: '1',
      description:
        'Commands of the supplier-task service. Every command answers `{ id?, streamId, revision, position, eventIds }` with `ETag: "<revision>"`.',
    },
    paths,
  };
}

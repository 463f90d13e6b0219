import {
  applyDecorators,
  createParamDecorator,
  HttpCode,
  RequestMapping,
  RequestMethod,
  SetMetadata,
  UseInterceptors,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { Roles } from '../auth/access.decorators';
import { principalOf } from '../auth/principal';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { CommandAdmissionInterceptor } from './command-admission.interceptor';
import { COMMAND_ROUTE, EnvelopeShape, type RawCommandInput } from './command-envelope';
import { CommandInputPipe } from './command-input.pipe';
import { CommandResponseInterceptor } from './command-response.interceptor';
import { requestIdsOf } from './request-ids';

export interface CommandRouteSpec {
  method: 'POST' | 'PUT' | 'DELETE';
  /** Express style; each `:param` is a field of the payload. */
  path: string;
  /** The domain command's `type`. */
  command: string;
  summary: string;
  description?: string;
  /**
   * The domain's payload schema: path params and body fields together make the command's `data`.
   * The HTTP layer never restates a field; it only moves some into the path.
   */
  payload: z.ZodObject;
  /** The id of the entity the command creates: optional in the body, a new uuid when absent. */
  newId?: string;
  /**
   * `newId` names the command's stream (the command creates an aggregate): when it is generated,
   * the stream cannot exist yet, and the command is decided without reading it.
   */
  newStream?: true;
}

export interface CommandRoute extends CommandRouteSpec {
  status: 200 | 201;
  pathKeys: string[];
  /** Validates the path params (the pipe and the OpenAPI document use these same schemas). */
  params: z.ZodObject;
  /** Validates the JSON body: the payload's other fields plus `occurredAt` and `actor`. */
  body: z.ZodObject;
}

export function commandRoute(spec: CommandRouteSpec): CommandRoute {
  const shape: Record<string, z.ZodType> = spec.payload.shape;
  const pathKeys = [...spec.path.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '');
  const pick = (keep: (key: string) => boolean): Record<string, z.ZodType> =>
    Object.fromEntries(Object.entries(shape).filter(([key]) => keep(key)));
  const missing = pathKeys.filter((key) => shape[key] === undefined);
  if (missing.length > 0) throw new Error(`${spec.path}: ${missing.join(', ')} not in the payload`);
  const bodyShape = pick((key) => !pathKeys.includes(key));
  const newIdSchema = spec.newId === undefined ? undefined : bodyShape[spec.newId];
  if (spec.newId !== undefined && newIdSchema !== undefined) {
    bodyShape[spec.newId] = newIdSchema.optional().describe('a uuid; generated when absent');
  }
  return {
    ...spec,
    status: spec.method === 'POST' && spec.newId !== undefined ? 201 : 200,
    pathKeys,
    params: z.strictObject(pick((key) => pathKeys.includes(key))),
    body: z.strictObject({ ...bodyShape, ...EnvelopeShape }),
  };
}

/**
 * A controller method that sends one command: the route, its status, idempotency and the
 * command response (ETag). The route is kept as metadata for the OpenAPI document.
 */
export const CommandEndpoint = (route: CommandRoute): MethodDecorator =>
  applyDecorators(
    RequestMapping({ path: route.path, method: RequestMethod[route.method] }),
    HttpCode(route.status),
    Roles('writer'),
    SetMetadata(COMMAND_ROUTE, route),
    // Outermost first: a duplicate waiting for the first response holds no execution slot.
    UseInterceptors(
      IdempotencyInterceptor,
      CommandAdmissionInterceptor,
      CommandResponseInterceptor,
    ),
  );

const fail = (message: string): never => {
  throw new Error(message);
};

const RawCommand = createParamDecorator(
  (route: CommandRoute, ctx: ExecutionContext): RawCommandInput => {
    const req = ctx.switchToHttp().getRequest<Request>();
    return {
      route,
      params: { ...req.params } as Record<string, string>,
      body: req.body,
      headers: req.headers,
      ids: requestIdsOf(req),
      principal: principalOf(req) ?? fail('a command route ran without the access guard'),
    };
  },
);

/** The validated command (a `CommandRequest`) of the route, built by `CommandInputPipe`. */
export const CommandInput = (route: CommandRoute): ParameterDecorator =>
  RawCommand(route, CommandInputPipe);

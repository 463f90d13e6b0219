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
import { Roles } from '../auth/access.decorators';
import { principalOf } from '../auth/principal';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { CommandAdmissionInterceptor } from './command-admission.interceptor';
import { COMMAND_ROUTE } from './command-envelope';
import { CommandInputPipe, type RawCommandInput } from './command-input.pipe';
import { CommandResponseInterceptor } from './command-response.interceptor';
import type { CommandRoute } from './command-route';
import { requestIdsOf } from './request-ids';

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

import { z } from 'zod';
import { EnvelopeShape } from './command-envelope';

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

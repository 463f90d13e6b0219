import { StoreUnavailableError } from '../errors';

// Socket-level failures: the server is unreachable or the connection was cut.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// SQLSTATEs of a server that cannot serve now: connection exceptions (class 08), shutting down or
// starting up (57P01-57P03), a statement cancelled by statement_timeout (57014), too many clients.
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '57014', '53300']);

// What `pg` itself says when a connection ends, a connect or a query times out.
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Connection ended',
];

/** Whether `error` says the database could not be reached, rather than that it refused the SQL. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08'))
      return true;
  }
  return PG_MESSAGES.some((message) => error.message.includes(message));
}

/** The port's error for a connection failure; any other error unchanged. */
export function translateConnectionError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !isConnectionError(error)) return error;
  return new StoreUnavailableError((error as Error).message, { cause: error });
}

import type { IncomingMessage, ServerResponse } from 'node:http';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const LOOPBACK_BINDS = new Set([...LOOPBACK_NAMES, '[::1]']);

/** The name of a Host header without its port; `[::1]:3000` is `::1`. */
const hostName = (header: string | undefined): string =>
  (header ?? '')
    .trim()
    .toLowerCase()
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1');

/**
 * DNS rebinding: a page of another site whose name now resolves to this service's address
 * reaches it with its own name in `Host`. So only the configured names (ALLOWED_HOSTS) are
 * answered; bound to loopback, the loopback names are by default. Undefined when nothing can be
 * checked: bound beyond loopback with no names configured (the start logs a warning).
 */
export function allowedHostNames(
  bind: string,
  configured: string[] | undefined,
): ReadonlySet<string> | undefined {
  if (configured !== undefined && configured.length > 0)
    return new Set(configured.map((name) => hostName(name)));
  return LOOPBACK_BINDS.has(bind.toLowerCase()) ? new Set(LOOPBACK_NAMES) : undefined;
}

/** Express middleware: 400 naming the header for any other Host. */
export const hostCheck =
  (allowed: ReadonlySet<string>) =>
  (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (allowed.has(hostName(req.headers.host))) return next();
    res.statusCode = 400;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(
      JSON.stringify({
        error: 'VALIDATION',
        issues: [
          { field: 'headers.host', in: 'header', reason: 'not a name this service answers to' },
        ],
      }),
    );
  };

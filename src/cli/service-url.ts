import type { AppConfig } from '../config';
import type { DataDirLockedError } from '../eventstore/errors';

export interface ServiceUrl {
  url: string;
  /** Where the URL came from, for the messages. */
  from: 'SERVICE_URL' | 'the lock file' | 'HOST and PORT';
}

/**
 * Where the service that owns DATA_DIR listens: SERVICE_URL when set (an empty one is unset, as
 * every variable), else the URL its lock file records, else http://HOST:PORT.
 */
export function serviceUrl(locked: DataDirLockedError, config: AppConfig): ServiceUrl {
  const explicit = process.env.SERVICE_URL;
  if (explicit) return { url: explicit, from: 'SERVICE_URL' };
  if (locked.ownerUrl !== undefined) return { url: locked.ownerUrl, from: 'the lock file' };
  return { url: `http://${config.host}:${config.port}`, from: 'HOST and PORT' };
}

/** A service that did not answer: the URL tried, where it came from, and what to do. */
export class ServiceUnreachableError extends Error {
  constructor(service: ServiceUrl, cause: unknown) {
    const reason = cause instanceof Error ? (causeMessage(cause) ?? cause.message) : String(cause);
    super(
      `the service owning DATA_DIR did not answer at ${service.url} (from ${service.from}): ${reason}; ` +
        'set SERVICE_URL to the URL it listens on, or stop it and run the command again',
    );
    this.name = 'ServiceUnreachableError';
  }
}

/** fetch's "fetch failed" hides the reason (ECONNREFUSED, …) in its cause. */
const causeMessage = (error: Error): string | undefined => {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : undefined;
};

/** fetch at the service, a failure to connect named as a ServiceUnreachableError. */
export async function fetchService(
  service: ServiceUrl,
  path: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await fetch(new URL(path, service.url), init);
  } catch (error) {
    throw new ServiceUnreachableError(service, error);
  }
}

/** What the CLI prints before going through the service. */
export const usingService = (dataDir: string, pid: number, service: ServiceUrl): string =>
  `${dataDir} is owned by the running service (pid ${pid}): using ${service.url} (from ${service.from})`;

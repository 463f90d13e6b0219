/** A refusal of the service, with the reason it gave (for a 400, every field and why). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  message?: unknown;
  error?: unknown;
  issues?: Array<{ field?: unknown; reason?: unknown }>;
}

const reasonOf = (status: number, body: ErrorBody | undefined): string => {
  if (body?.issues !== undefined && body.issues.length > 0)
    return body.issues.map((issue) => `${String(issue.field)}: ${String(issue.reason)}`).join('; ');
  if (typeof body?.message === 'string') return body.message;
  if (Array.isArray(body?.message)) return body.message.join('; ');
  if (typeof body?.error === 'string') return body.error;
  return `HTTP ${status}`;
};

/** The service's API, as the key in hand may call it. */
export class Api {
  constructor(private readonly key: string) {}

  async get<T>(path: string, query?: URLSearchParams): Promise<T> {
    const search = query !== undefined && [...query.keys()].length > 0 ? `?${query}` : '';
    const response = await fetch(`${path}${search}`, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${this.key}` },
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok)
      throw new ApiError(response.status, reasonOf(response.status, body as ErrorBody));
    return body as T;
  }
}

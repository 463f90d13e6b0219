/** How the access layer is set up, from the configuration (see `config.ts`). */
export interface AccessOptions {
  /** SUPPLIER_TASKS_ADMIN_KEY: an admin key's secret, created at start when absent. */
  adminKey?: string;
  /** Requests per key (or per address, for public routes) and minute. */
  rateLimitPerMinute: number;
  /** Where the first-start admin key is printed, once; never the log. */
  announce: (text: string) => void;
}

export const ACCESS_OPTIONS = Symbol('AccessOptions');

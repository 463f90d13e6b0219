import { Logger } from '@nestjs/common';
import { Client, type ClientConfig } from 'pg';
import { quoteIdent } from './quote-ident';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

/**
 * A dedicated connection that LISTENs on one channel and comes back after the connection drops,
 * with a doubling back-off. Between the drop and the new LISTEN notifications are lost, so every
 * (re)connection is reported as one more notification: a reader woken by it looks at the log
 * itself, and the runner polls anyway.
 */
export class PgListener {
  private client: Client | undefined;
  private stopped = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly logger = new Logger('pg-listener');

  constructor(
    private readonly config: ClientConfig,
    private readonly channel: string,
    private readonly onNotify: (payload: string) => void,
  ) {}

  /** Fails when the first connection fails: start-up decides whether to retry. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new Client(this.config);
    // Without an 'error' listener a dropped connection is an uncaught exception: the process dies.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.onNotify(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdent(this.channel)}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return; // a connection being set up, or one already replaced
    this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(`LISTEN ${this.channel} lost (${error?.message ?? 'connection ended'})`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => {
          if (this.stopped) return;
          this.logger.log(`LISTEN ${this.channel} re-established`);
          this.onNotify('');
        },
        (error: unknown) => {
          if (this.stopped) return;
          this.logger.warn(
            `LISTEN ${this.channel}: reconnect failed (${error instanceof Error ? error.message : String(error)}); next try in ${this.retryMs} ms`,
          );
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.retryTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.removeAllListeners('end');
    await client.query(`UNLISTEN ${quoteIdent(this.channel)}`).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { SqlClient } from './sql-client';

/**
 * Tells the other processes' readers that the log grew, after the append committed and in a
 * statement of its own. The first append after a quiet spell is announced at once; while appends
 * keep coming, one NOTIFY per `spacingMs` carries the highest position so far. A NOTIFY is a
 * transaction of its own on the server (and a wake-up of every listener): one per append cost
 * one-event appends about as much server CPU as the append itself, while a reader in another
 * process loses nothing by waking a few tens of milliseconds later to read the lot (this
 * process's readers are woken at once, without it; the projection loop gathers appends for
 * 100 ms anyway).
 *
 * Not inside `es_append`: a transaction that has notified takes a lock of the whole server at
 * commit and holds it through its WAL flush, so appending commits queued behind each other one
 * flush at a time (measured by `bench/append.ts`, scenario writers: 8 one-event writers spent
 * their time waiting on `Lock:object`). A NOTIFY alone writes no WAL, so the lock is brief.
 *
 * A lost NOTIFY (the process dies between commit and send, the connection drops) costs a
 * reader its wake-up, never an event: readers look at the log on every wake-up and poll anyway.
 */
export class AppendNotifier {
  private pending: bigint | undefined;
  private sending: Promise<void> | undefined;

  constructor(
    private readonly sql: SqlClient,
    private readonly channel: string,
    private readonly spacingMs = 50,
  ) {}

  /** After an append that wrote up to `lastPosition` has committed. */
  appended(lastPosition: bigint): void {
    if (this.pending === undefined || lastPosition > this.pending) this.pending = lastPosition;
    this.sending ??= this.send();
  }

  private async send(): Promise<void> {
    while (this.pending !== undefined) {
      const position = this.pending;
      this.pending = undefined;
      await this.sql.notify(this.channel, position.toString()).catch(() => undefined);
      await sleep(this.spacingMs);
    }
    this.sending = undefined;
  }

  /** Waits for the NOTIFY in flight, if any, so that the connection can be closed after it. */
  async drain(): Promise<void> {
    await this.sending;
  }
}

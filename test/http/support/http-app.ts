import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Response } from 'supertest';
import { startApp, type RunningApp } from '../../../src/app';
import type { AppConfig } from '../../../src/config';
import { createTestDatabase } from '../../support/postgres';

export interface TestApp {
  running: RunningApp;
  /** One HTTP call; `body` a value (sent as JSON) or a string (sent as it is). */
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}

/** The admin key every test app is started with and every `call` sends, unless told otherwise. */
import { TEST_ADMIN_KEY } from '../../support/test-keys';

export { TEST_ADMIN_KEY };

const config = (
  dataDir: string,
  databaseUrl: string | undefined,
  overrides: Partial<AppConfig>,
): AppConfig => ({
  dataDir,
  databaseUrl,
  eventStoreUrl: undefined,
  port: 0,
  host: '127.0.0.1',
  adminKey: TEST_ADMIN_KEY,
  ...overrides,
});

function testApp(running: RunningApp, cleanUp: () => Promise<void>): TestApp {
  const server = running.app.getHttpServer();
  return {
    running,
    call(method, path, body, headers = {}) {
      const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
      let req = request(server)[verb](path).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);
      for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
      if (body === undefined) return req;
      return req
        .set('Content-Type', 'application/json')
        .send(typeof body === 'string' ? body : JSON.stringify(body));
    },
    headPosition: () => running.infra.eventStore.headPosition(),
    async close() {
      await running.close();
      await cleanUp();
    },
  };
}

/**
 * The service over HTTP on each SQL back-end: embedded PGlite in a fresh folder, and PostgreSQL;
 * `overrides` change its configuration.
 */
export const HTTP_BACKENDS: Array<[string, (overrides?: Partial<AppConfig>) => Promise<TestApp>]> =
  [
    [
      'PGlite',
      async (overrides = {}) => {
        const dataDir = mkdtempSync(join(tmpdir(), 'http-e2e-'));
        const running = await startApp(config(dataDir, undefined, overrides), { logger: false });
        return testApp(running, async () => rmSync(dataDir, { recursive: true, force: true }));
      },
    ],
    [
      'PostgreSQL',
      async (overrides = {}) => {
        const db = await createTestDatabase('st_http');
        const dataDir = mkdtempSync(join(tmpdir(), 'http-e2e-pg-'));
        const running = await startApp(config(dataDir, db.url, overrides), { logger: false });
        return testApp(running, async () => {
          await db.drop();
          rmSync(dataDir, { recursive: true, force: true });
        });
      },
    ],
  ];

/** Runs `task` over `items` with at most `limit` in flight. */
export async function inPool<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

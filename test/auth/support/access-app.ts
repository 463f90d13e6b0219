import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Test } from 'supertest';
import { startApp, type RunningApp } from '../../../src/app';
import type { AppConfig } from '../../../src/config';
import { createTestDatabase } from '../../support/postgres';

export type Verb = 'get' | 'post' | 'put' | 'delete';

export interface AccessApp {
  running: RunningApp;
  dataDir: string;
  /** Every line the service logged, as written. */
  logLines: string[];
  /** Every text the service printed outside the log (the first-start admin key). */
  announced: string[];
  /** A request with `key` as the bearer key (none when undefined). */
  send(verb: Verb, path: string, key?: string): Test;
  close(): Promise<void>;
}

/** The service in-process with its log and its announcements captured. */
export async function startAccessApp(
  config: Partial<AppConfig> & { backend: 'postgres' | 'pglite' },
): Promise<AccessApp> {
  const { backend, ...rest } = config;
  const dataDir = rest.dataDir ?? mkdtempSync(join(tmpdir(), 'access-'));
  const db = backend === 'postgres' ? await createTestDatabase('st_access') : undefined;
  const logLines: string[] = [];
  const announced: string[] = [];
  const running = await startApp(
    {
      dataDir,
      databaseUrl: db?.url,
      eventStoreUrl: undefined,
      port: 0,
      host: '127.0.0.1',
      ...rest,
    },
    {
      logDestination: { write: (line: string) => void logLines.push(line) },
      announce: (text) => void announced.push(text),
    },
  );
  const server = running.app.getHttpServer();
  return {
    running,
    dataDir,
    logLines,
    announced,
    send(verb, path, key) {
      const req = request(server)[verb](path);
      return key === undefined ? req : req.set('Authorization', `Bearer ${key}`);
    },
    async close() {
      await running.close();
      await db?.drop();
      if (rest.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Every route the running application answers, read off Express's router. Nest mounts module
 * middleware (the request log) as a wildcard route for every method: that is no endpoint.
 */
export function routesOf(running: RunningApp): Array<{ method: Verb; path: string }> {
  const express = running.app.getHttpAdapter().getInstance() as {
    router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  };
  return express.router.stack.flatMap((layer) =>
    layer.route === undefined || layer.route.path.includes('*')
      ? []
      : Object.keys(layer.route.methods)
          .filter((method) => method !== '_all')
          .map((method) => ({ method: method as Verb, path: layer.route!.path })),
  );
}

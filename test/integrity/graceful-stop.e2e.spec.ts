import { request, Agent, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEST_ADMIN_KEY } from '../http/support/http-app';
import { startService, type ServiceProcess } from '../reliability/support/service-process';

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

const IN_FLIGHT = 4;

/**
 * A POST whose headers and first half of the body are sent now: the server holds it in flight
 * (it waits for the rest). `finish()` sends the rest and resolves with the whole answer.
 */
function halfSent(url: string, agent: Agent, body: string) {
  const u = new URL('/suppliers', url);
  let answered: (a: Answer) => void;
  let failed: (e: Error) => void;
  const answer = new Promise<Answer>((resolve, reject) => {
    answered = resolve;
    failed = reject;
  });
  const req = request(
    {
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      agent,
      headers: {
        authorization: `Bearer ${TEST_ADMIN_KEY}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    },
    (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        answered({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }),
      );
      res.on('error', failed);
    },
  );
  req.on('error', (e) => failed(e));
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return {
    finish: () => {
      req.end(body.slice(half));
      return answer;
    },
  };
}

describe('graceful stop (SIGTERM) on PGlite', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'graceful-stop-'));
  });
  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every request in flight on keep-alive connections in full, then exits 0', async () => {
    service = await startService({ DATA_DIR: dataDir, SUPPLIER_TASKS_ADMIN_KEY: TEST_ADMIN_KEY });
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    // Warm the keep-alive connections, then hold one request in flight on each.
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, (_, i) =>
        halfSent(service!.url, agent, JSON.stringify({ code: `W-${i}`, name: 'warm' })).finish(),
      ),
    );
    const held = Array.from({ length: IN_FLIGHT }, (_, i) =>
      halfSent(service!.url, agent, JSON.stringify({ code: `GS-${i}`, name: `Stop ${i}` })),
    );
    await sleep(300);
    service.child.kill('SIGTERM');
    await sleep(500);
    const answers = await Promise.all(held.map((h) => h.finish()));
    for (const a of answers) {
      expect(a.status).toBe(201);
      expect(a.connection).toBe('close');
      expect(JSON.parse(a.body)).toMatchObject({ revision: 0 });
    }
    expect(await service.exited).toBe(0);
    // The request log is written asynchronously: what was pending went out before the exit.
    const logged = service
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('"url":"/suppliers"'))
      .map((line) => (JSON.parse(line) as { res?: { statusCode?: number } }).res?.statusCode);
    expect(logged).toEqual(Array.from({ length: 2 * IN_FLIGHT }, () => 201));
    // After the stop: refused, not reset mid-answer.
    await expect(fetch(`${service.url}/health`)).rejects.toMatchObject({
      cause: { code: 'ECONNREFUSED' },
    });
    agent.destroy();
  }, 300_000);
});

import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { HTTP_BACKENDS, type TestApp } from '../http/support/http-app';
import { SEED_FILE, seedLines } from '../support/seed';

interface Line {
  streamId: string;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { occurredAt: string; actor: string; correlationId?: string };
}
const seed = seedLines() as unknown as Line[];
const lastChange = new Map(
  seed
    .filter((l) => l.type === 'SupplierTaskStatusChanged')
    .map((l) => [l.data.supplierTaskInstanceId as string, l]),
);
const started = [...lastChange.values()].find((l) => l.data.to === 'IN_PROGRESS')!;
const instanceId = started.data.supplierTaskInstanceId as string;

// The HTTP layer over the same reads: parameters checked, answers shaped; PGlite only, the
// reads themselves run on both back-ends in audit.int.spec.ts.
const [pglite] = HTTP_BACKENDS.filter(([name]) => name === 'PGlite');

describe('the audit routes over HTTP (PGlite)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await pglite![1]();
    await importLegacyFile(api.running.infra.eventStore, SEED_FILE);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('pages a stream with a next link, and names a bad parameter', async () => {
    const page = await api.call('GET', `/audit/streams/${started.streamId}?limit=2`);
    expect(page.status).toBe(200);
    expect(page.body.events.map((e: { eventId: string }) => e.eventId)).toEqual(
      seed
        .filter((l) => l.streamId === started.streamId)
        .slice(0, 2)
        .map((l) => l.eventId),
    );
    expect(page.body.next).toBe(`/audit/streams/${started.streamId}?fromRevision=2&limit=2`);
    const bad = await api.call('GET', `/audit/streams/${started.streamId}?limit=5000`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([
      { field: 'limit', in: 'query', reason: 'must be at most 1000' },
    ]);
    expect(
      (await api.call('GET', '/audit/streams/supplier-00000000-0000-4000-8000-000000000000'))
        .status,
    ).toBe(404);
  });

  it('answers the state of an instance as of a business time, and 404 before it existed', async () => {
    const at = Date.parse(started.metadata.occurredAt);
    const before = await api.call(
      'GET',
      `/audit/entities/supplier-task-instance/${instanceId}?asOf=${new Date(at - 1).toISOString()}&clock=business`,
    );
    expect(before.status).toBe(200);
    expect(before.body).toEqual(
      expect.objectContaining({
        kind: 'supplier-task-instance',
        id: instanceId,
        clock: 'business',
      }),
    );
    expect(before.body.state.status).toBe('NOT_STARTED');
    const after = await api.call(
      'GET',
      `/audit/entities/supplier-task-instance/${instanceId}?asOf=${started.metadata.occurredAt}`,
    );
    expect(after.body.state.status).toBe('IN_PROGRESS');
    expect(
      (
        await api.call(
          'GET',
          `/audit/entities/supplier-task-instance/${instanceId}?asOf=2000-01-01T00:00:00Z`,
        )
      ).status,
    ).toBe(404);
    const bad = await api.call('GET', `/audit/entities/widget/${instanceId}?clock=wall`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual([
      'clock',
      'kind',
    ]);
  });

  it('serves one event, a correlation and an actor’s trail', async () => {
    const event = await api.call('GET', `/audit/events/${started.eventId}`);
    expect(event.status).toBe(200);
    expect(event.body.raw.data).toEqual(started.data);
    expect(
      (await api.call('GET', '/audit/events/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
    const trail = await api.call('GET', `/audit/correlations/${started.metadata.correlationId}`);
    expect(trail.body.events.map((e: { eventId: string }) => e.eventId)).toEqual([started.eventId]);
    const actor = await api.call(
      'GET',
      `/audit/actors/${encodeURIComponent(started.metadata.actor)}?limit=1000`,
    );
    expect(actor.body.events.map((e: { eventId: string }) => e.eventId)).toEqual(
      seed.filter((l) => l.metadata.actor === started.metadata.actor).map((l) => l.eventId),
    );
  });

  it('streams the log as ndjson, filtered, and refuses a bad filter', async () => {
    const log = await api.call('GET', '/audit/log?categories=supplierproject&after=0');
    expect(log.status).toBe(200);
    expect(log.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const ids = log.text
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as Line).eventId);
    expect(ids).toEqual(
      seed.filter((l) => l.streamId.startsWith('supplierproject-')).map((l) => l.eventId),
    );
    const bad = await api.call('GET', '/audit/log?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0]).toEqual(expect.objectContaining({ field: 'from', in: 'query' }));
  });

  it('documents every audit route', async () => {
    const doc = await api.call('GET', '/docs.json');
    const paths = Object.keys(doc.body.paths ?? {});
    expect(paths).toEqual(
      expect.arrayContaining([
        '/audit/streams/{streamId}',
        '/audit/events/{eventId}',
        '/audit/entities/{kind}/{id}',
        '/audit/correlations/{correlationId}',
        '/audit/actors/{actor}',
        '/audit/log',
      ]),
    );
  });
});

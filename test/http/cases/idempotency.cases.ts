import type { TestApp } from '../support/http-app';

/** Runs inside a describe of the back-end's app; `app()` is that app. */
export function idempotencyCases(app: () => TestApp): void {
  let api: TestApp;
  beforeAll(() => {
    api = app();
  });

  it('returns the first response to a repeat, and writes nothing more', async () => {
    const body = { code: 'SUP-1', name: 'Idempotent Ltd' };
    const first = await api.call('POST', '/suppliers', body, { 'Idempotency-Key': 'register-1' });
    expect(first.status).toBe(201);
    const head = await api.headPosition();

    // Same body with its keys in another order: the same request.
    const repeat = await api.call(
      'POST',
      '/suppliers',
      { name: body.name, code: body.code },
      {
        'Idempotency-Key': 'register-1',
      },
    );
    expect(repeat.status).toBe(201);
    expect(repeat.body).toEqual(first.body);
    expect(repeat.headers.etag).toBe(first.headers.etag);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(await api.headPosition()).toBe(head);
  });

  it('writes one set of events for 10 concurrent retries with one key', async () => {
    const head = await api.headPosition();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.call(
          'POST',
          '/projects',
          { code: 'PRJ-C', name: 'Concurrent' },
          { 'Idempotency-Key': 'project-c' },
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = new Set(responses.map((r) => (r.body as { id: string }).id));
    expect(ids.size).toBe(1);
    // The project's event and its code's reservation, once each.
    expect(await api.headPosition()).toBe(head + 2n);
  }, 30_000);

  it('refuses the same key with a different body (422), writing nothing', async () => {
    await api.call('POST', '/suppliers', { code: 'A', name: 'A' }, { 'Idempotency-Key': 'reused' });
    const head = await api.headPosition();
    const other = await api.call(
      'POST',
      '/suppliers',
      { code: 'B', name: 'B' },
      { 'Idempotency-Key': 'reused' },
    );
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({
      error: 'IDEMPOTENCY_KEY_REUSED',
      code: 'IDEMPOTENCY.KEY_REUSED',
    });
    expect(await api.headPosition()).toBe(head);
  });

  it('replays a rejection too: the first answer stands', async () => {
    const unknown = '00000000-0000-4000-8000-00000000abcd';
    const headers = { 'Idempotency-Key': 'rename-unknown' };
    const first = await api.call('PUT', `/suppliers/${unknown}/name`, { name: 'x' }, headers);
    expect(first.status).toBe(404);
    const repeat = await api.call('PUT', `/suppliers/${unknown}/name`, { name: 'x' }, headers);
    expect(repeat.status).toBe(404);
    expect(repeat.body).toEqual(first.body);
  });
}

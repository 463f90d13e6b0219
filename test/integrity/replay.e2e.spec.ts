import { HTTP_BACKENDS, type TestApp } from '../http/support/http-app';

describe.each(HTTP_BACKENDS)('idempotent replays on %s', (_name, start) => {
  let api: TestApp;
  beforeAll(async () => {
    api = await start();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('sends the first response’s body bytes and ETag again', async () => {
    const headers = { 'Idempotency-Key': 'replay-bytes-1' };
    const body = { code: 'SUP-REPLAY', name: 'Replay' };
    const first = await api.call('POST', '/suppliers', body, headers);
    expect(first.status).toBe(201);
    const repeat = await api.call('POST', '/suppliers', body, headers);
    expect(repeat.status).toBe(201);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    // The raw text, not the parsed value: the keys in the order they were first sent.
    expect(repeat.text).toBe(first.text);
    expect(Object.keys(repeat.body as object)).toEqual([
      'id',
      'streamId',
      'revision',
      'position',
      'eventIds',
    ]);
    expect(repeat.headers.etag).toBe('"0"');
    expect(repeat.headers.etag).toBe(first.headers.etag);
    expect(repeat.headers['content-type']).toBe(first.headers['content-type']);
  });

  it('replays a refusal byte for byte, and no error carries an ETag', async () => {
    const unknown = '00000000-0000-4000-8000-00000000beef';
    const headers = { 'Idempotency-Key': 'replay-bytes-2' };
    const first = await api.call('PUT', `/suppliers/${unknown}/name`, { name: 'x' }, headers);
    expect(first.status).toBe(404);
    expect(first.headers.etag).toBeUndefined();
    const repeat = await api.call('PUT', `/suppliers/${unknown}/name`, { name: 'x' }, headers);
    expect(repeat.status).toBe(404);
    expect(repeat.text).toBe(first.text);
    expect(repeat.headers.etag).toBeUndefined();

    const invalid = await api.call('POST', '/suppliers', { code: '', name: 'n' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.etag).toBeUndefined();
    const conflict = await api.call('POST', '/suppliers', { code: 'SUP-REPLAY', name: 'n' });
    expect(conflict.status).toBe(409);
    expect(conflict.headers.etag).toBeUndefined();
  });

  it('sends no weak ETag on reads either', async () => {
    const health = await api.call('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.headers.etag).toBeUndefined();
  });
});

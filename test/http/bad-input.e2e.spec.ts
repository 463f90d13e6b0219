import { randomUUID } from 'node:crypto';
import { HTTP_BACKENDS, type TestApp } from './support/http-app';

/** Every text field of every command route, with a path that names well-formed ids. */
const id = () => randomUUID();
const TEXT_FIELDS: Array<[method: 'POST' | 'PUT', path: () => string, fields: string[]]> = [
  ['POST', () => '/suppliers', ['code', 'name']],
  ['PUT', () => `/suppliers/${id()}/name`, ['name']],
  ['POST', () => '/projects', ['code', 'name']],
  ['PUT', () => `/projects/${id()}/name`, ['name']],
  ['POST', () => '/task-types', ['name']],
  ['PUT', () => `/task-types/${id()}/name`, ['name']],
  ['POST', () => `/task-types/${id()}/sections`, ['code', 'name']],
  ['PUT', () => `/task-types/${id()}/sections/${id()}/name`, ['name']],
  ['POST', () => `/task-types/${id()}/tasks`, ['title']],
  ['PUT', () => `/task-types/${id()}/tasks/${id()}/title`, ['title']],
  ['POST', () => `/supplier-projects/${id()}/tasks/${id()}/notes`, ['text', 'author']],
];
/** Each is sent alone in a body, so only it can be named. */
const BAD_TEXT: Array<[string, string]> = [
  ['NUL', 'a\u0000b'],
  ['a lone surrogate', 'a\ud800b'],
];

interface Issue {
  field: string;
  reason: string;
}

describe.each(HTTP_BACKENDS)('bad input on %s: always a 4xx, nothing written', (_name, open) => {
  let api: TestApp;
  beforeAll(async () => {
    api = await open();
  }, 240_000);
  afterAll(async () => {
    await api?.close();
  }, 30_000);

  it.each(BAD_TEXT)('%s in any text field is a 400 naming it', async (_what, text) => {
    const head = await api.headPosition();
    for (const [method, path, fields] of TEXT_FIELDS) {
      for (const field of fields) {
        const res = await api.call(method, path(), { [field]: text });
        expect(res.status).toBe(400);
        const named = (res.body as { issues: Issue[] }).issues.filter((i) =>
          i.field.endsWith(`.${field}`),
        );
        expect({ path: path(), field, reasons: named.map((i) => i.reason) }).toMatchObject({
          reasons: [expect.stringMatching(/NUL|surrogate/)],
        });
      }
    }
    expect(await api.headPosition()).toBe(head);
  });

  it('text over its maximum length is a 400 naming the field and the limit', async () => {
    const res = await api.call('POST', '/suppliers', { code: 'c'.repeat(201), name: 'n' });
    expect(res.status).toBe(400);
    expect((res.body as { issues: Issue[] }).issues).toEqual([
      expect.objectContaining({ field: 'data.code', reason: expect.stringContaining('200') }),
    ]);
    const title = await api.call('POST', `/task-types/${id()}/tasks`, {
      sectionId: id(),
      title: 't'.repeat(501),
      sortOrder: 1,
    });
    expect((title.body as { issues: Issue[] }).issues).toEqual([
      expect.objectContaining({ field: 'data.title', reason: expect.stringContaining('500') }),
    ]);
  });

  it('the OpenAPI document states every maximum length', async () => {
    const doc = (await api.call('GET', '/docs.json')).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<
                string,
                { schema: { properties: Record<string, { maxLength?: number }> } }
              >;
            };
          }
        >
      >;
    };
    const body = (path: string, method: string) =>
      doc.paths[path]![method]!.requestBody!.content['application/json']!.schema.properties;
    expect(body('/suppliers', 'post').name?.maxLength).toBe(200);
    expect(body('/task-types/{taskTypeId}/tasks', 'post').title?.maxLength).toBe(500);
    expect(
      body(
        '/supplier-projects/{supplierProjectInstanceId}/tasks/{supplierTaskInstanceId}/notes',
        'post',
      ).text?.maxLength,
    ).toBe(10_000);
  });

  it('a form-encoded or text body is a 415, and creates nothing', async () => {
    const head = await api.headPosition();
    const form = await fetch(`${api.running.url}/suppliers`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'code=X&name=Y',
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE' });
    const plain = await fetch(`${api.running.url}/suppliers`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"code":"X","name":"Y"}',
    });
    expect(plain.status).toBe(415);
    expect(await api.headPosition()).toBe(head);
  });

  it('10,000-level nested JSON with an Idempotency-Key is a 400, not a 500', async () => {
    const deep = `{"code":"X","name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const res = await api.call('POST', '/suppliers', deep, { 'Idempotency-Key': randomUUID() });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      issues: [expect.objectContaining({ field: 'body', reason: expect.stringContaining('32') })],
    });
  });

  it('the 413 of an oversized body states the limit', async () => {
    const res = await api.call('POST', '/suppliers', { code: 'X', name: 'n'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect((res.body as { message: string }).message).toContain(`${100 * 1024} bytes`);
  });

  it('an uppercase uuid is the same id as its lowercase form', async () => {
    const supplierId = randomUUID();
    const upper = supplierId.toUpperCase();
    const created = await api.call('POST', '/suppliers', {
      supplierId: upper,
      code: 'U',
      name: 'U',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: supplierId, streamId: `supplier-${supplierId}` });
    const again = await api.call('POST', '/suppliers', { supplierId, code: 'U', name: 'U' });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
    const renamed = await api.call('PUT', `/suppliers/${upper}/name`, { name: 'V' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ streamId: `supplier-${supplierId}`, revision: 1 });
  });
});

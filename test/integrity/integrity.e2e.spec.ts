import { HTTP_BACKENDS, type TestApp } from '../http/support/http-app';

const HEADERS = { 'X-Actor': 'integrity-test' };
const CONCURRENT = 10;

const created = async (api: TestApp, path: string, body: Record<string, unknown>) => {
  const res = await api.call('POST', path, body, HEADERS);
  if (res.status !== 201)
    throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
};

/** `count` identical POSTs at once; the statuses and bodies, in any order. */
const concurrently = (api: TestApp, count: number, path: string, body: Record<string, unknown>) =>
  Promise.all(Array.from({ length: count }, () => api.call('POST', path, body, HEADERS)));

describe.each(HTTP_BACKENDS)('integrity across aggregates on %s', (_name, start) => {
  let api: TestApp;
  beforeAll(async () => {
    api = await start();
  });
  afterAll(async () => {
    await api?.close();
  });

  it(`gives a supplier code to exactly one of ${CONCURRENT} concurrent registrations; the others get 409 naming it`, async () => {
    const answers = await concurrently(api, CONCURRENT, '/suppliers', {
      code: 'SUP-NC1',
      name: 'Acme',
    });
    const won = answers.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    const winner = (won[0]!.body as { id: string }).id;
    const lost = answers.filter((r) => r.status !== 201);
    expect(lost.map((r) => r.status)).toEqual(Array(CONCURRENT - 1).fill(409));
    for (const r of lost) {
      expect(r.body).toMatchObject({
        code: 'SUPPLIER.CODE_TAKEN',
        existing: { supplierId: winner },
      });
    }
    // Later, and in another case: still the winner's.
    const again = await api.call('POST', '/suppliers', { code: ' sup-nc1 ', name: 'B' }, HEADERS);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ existing: { supplierId: winner } });
    // The loser's supplier stream was never written.
    const winnerStream = await api.call('GET', `/streams/supplier-${winner}/events`);
    expect(winnerStream.status).toBe(200);
  });

  it(`gives a project code to exactly one of ${CONCURRENT} concurrent creations`, async () => {
    const answers = await concurrently(api, CONCURRENT, '/projects', {
      code: 'PRJ-NC1',
      name: 'Caliper',
    });
    const won = answers.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    const winner = (won[0]!.body as { id: string }).id;
    const lost = answers.filter((r) => r.status !== 201);
    expect(lost.map((r) => r.status)).toEqual(Array(CONCURRENT - 1).fill(409));
    for (const r of lost) {
      expect(r.body).toMatchObject({ code: 'PROJECT.CODE_TAKEN', existing: { projectId: winner } });
    }
  });

  it('lets a supplier code and a project code be the same text (separate reservations)', async () => {
    await created(api, '/suppliers', { code: 'SHARED-1', name: 'A' });
    await created(api, '/projects', { code: 'SHARED-1', name: 'B' });
  });

  it(`assigns a supplier to a project once out of ${CONCURRENT} concurrent requests`, async () => {
    const supplierId = await created(api, '/suppliers', { code: 'SUP-AS1', name: 'A' });
    const projectId = await created(api, '/projects', { code: 'PRJ-AS1', name: 'P' });
    const answers = await concurrently(api, CONCURRENT, '/supplier-projects', {
      supplierId,
      projectId,
    });
    const won = answers.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    const winner = (won[0]!.body as { id: string }).id;
    const lost = answers.filter((r) => r.status !== 201);
    expect(lost.map((r) => r.status)).toEqual(Array(CONCURRENT - 1).fill(409));
    for (const r of lost) {
      expect(r.body).toMatchObject({
        code: 'SUPPLIER_PROJECT.ALREADY_ASSIGNED',
        existing: { supplierProjectInstanceId: winner },
      });
    }
    // Another project for the same supplier is a new assignment.
    const other = await created(api, '/projects', { code: 'PRJ-AS2', name: 'Q' });
    await created(api, '/supplier-projects', { supplierId, projectId: other });
  });

  describe('removing a template', () => {
    let projectId: string;
    let taskTypeId: string;
    let taskId: string;
    let spi: string;
    beforeAll(async () => {
      const supplierId = await created(api, '/suppliers', { code: 'SUP-TPL', name: 'A' });
      projectId = await created(api, '/projects', { code: 'PRJ-TPL', name: 'P' });
      taskTypeId = await created(api, '/task-types', { name: 'PA', category: 'PART_APPROVAL' });
      const sectionId = await created(api, `/task-types/${taskTypeId}/sections`, {
        code: 'PA2',
        name: 'PA2',
        sortOrder: 1,
      });
      taskId = await created(api, `/task-types/${taskTypeId}/tasks`, {
        sectionId,
        title: 'Report',
        sortOrder: 1,
      });
      spi = await created(api, '/supplier-projects', { supplierId, projectId });
    });
    const newTemplate = () =>
      created(api, `/projects/${projectId}/templates`, {
        taskTypeId,
        taskId,
        dueDate: '2026-06-15',
      });

    it('is refused with 422 naming the instances while one references it', async () => {
      const templateId = await newTemplate();
      const instanceId = await created(api, `/supplier-projects/${spi}/tasks`, { templateId });
      const removal = await api.call(
        'DELETE',
        `/projects/${projectId}/templates/${templateId}`,
        undefined,
        HEADERS,
      );
      expect(removal.status).toBe(422);
      expect(removal.body).toMatchObject({
        code: 'TEMPLATE.REFERENCED',
        details: {
          templateId,
          supplierTaskInstances: [
            { supplierProjectInstanceId: spi, supplierTaskInstanceId: instanceId },
          ],
        },
      });
      // The template is still there: its due date can change.
      const due = await api.call(
        'PUT',
        `/projects/${projectId}/templates/${templateId}/due-date`,
        { dueDate: '2026-07-01' },
        HEADERS,
      );
      expect(due.status).toBe(200);
    });

    it('is allowed while nothing references it, and then takes no new instance', async () => {
      const templateId = await newTemplate();
      const removal = await api.call(
        'DELETE',
        `/projects/${projectId}/templates/${templateId}`,
        undefined,
        HEADERS,
      );
      expect(removal.status).toBe(200);
      const instance = await api.call(
        'POST',
        `/supplier-projects/${spi}/tasks`,
        { templateId },
        HEADERS,
      );
      expect(instance.status).toBe(404);
      expect(instance.body).toMatchObject({ code: 'TEMPLATE.NOT_FOUND' });
    });

    it('racing an instance creation, exactly one of the two wins', async () => {
      for (let round = 0; round < 5; round++) {
        const templateId = await newTemplate();
        const [removal, instance] = await Promise.all([
          api.call('DELETE', `/projects/${projectId}/templates/${templateId}`, undefined, HEADERS),
          api.call('POST', `/supplier-projects/${spi}/tasks`, { templateId }, HEADERS),
        ]);
        const outcome = [removal.status, instance.status];
        expect([
          [200, 404],
          [422, 201],
        ]).toContainEqual(outcome);
      }
    });

    it('frees the reference of an instance refused after taking it', async () => {
      // The supplier project already has an instance of this template: the second is refused
      // (409) after recording its reference, which it must release: only the first is listed.
      const templateId = await newTemplate();
      await created(api, `/supplier-projects/${spi}/tasks`, { templateId });
      const second = await api.call(
        'POST',
        `/supplier-projects/${spi}/tasks`,
        { templateId },
        HEADERS,
      );
      expect(second.status).toBe(409);
      const removal = await api.call(
        'DELETE',
        `/projects/${projectId}/templates/${templateId}`,
        undefined,
        HEADERS,
      );
      expect(removal.status).toBe(422);
      expect(
        (removal.body as { details: { supplierTaskInstances: unknown[] } }).details
          .supplierTaskInstances,
      ).toHaveLength(1);
    });
  });
});

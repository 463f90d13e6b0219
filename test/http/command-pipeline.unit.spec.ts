import { CommandExecutor } from '../../src/application/command-executor';
import type { NewEvent, StoredEvent } from '../../src/eventstore/event';
import { WrongExpectedRevisionError } from '../../src/eventstore/errors';
import type { EventStore, ExpectedRevision } from '../../src/eventstore/event-store.port';
import { supplierDecider } from '../../src/domain/supplier/supplier.decider';
import type { RegisterSupplier, RenameSupplier } from '../../src/domain/supplier/supplier.commands';
import { CommandInputPipe } from '../../src/http/commands/command-input.pipe';
import { RequestValidationError } from '../../src/http/errors/request-validation.error';
import { ProjectRoutes } from '../../src/http/project/project.routes';
import { SupplierRoutes } from '../../src/http/supplier/supplier.routes';

const SUPPLIER = '6a1f0f8e-3a55-4f5e-9d0e-1b2c3d4e5f60';
const METADATA = {
  occurredAt: '2025-01-01T00:00:00.000Z',
  actor: 'unit',
  correlationId: 'c',
  causationId: 'r',
};

/** Just the two calls the executor makes, in memory. */
class MemoryStore implements Pick<EventStore, 'readStream' | 'append'> {
  readonly streams = new Map<string, StoredEvent[]>();
  readonly appends: Array<{ streamId: string; expected: ExpectedRevision | undefined }> = [];

  async readStream(streamId: string): Promise<StoredEvent[]> {
    return this.streams.get(streamId) ?? [];
  }

  async append(streamId: string, events: NewEvent[], expected?: ExpectedRevision) {
    this.appends.push({ streamId, expected });
    const stream = this.streams.get(streamId) ?? [];
    for (const event of events) {
      stream.push({
        ...event,
        streamId,
        revision: stream.length,
        position: BigInt(stream.length + 1),
        schemaVersion: event.schemaVersion ?? 1,
        metadata: { ...event.metadata, recordedAt: METADATA.occurredAt },
      });
    }
    this.streams.set(streamId, stream);
    return {
      nextExpectedRevision: stream.length - 1,
      position: BigInt(stream.length),
      written: events.length,
    };
  }
}

const register: RegisterSupplier = {
  type: 'RegisterSupplier',
  data: { supplierId: SUPPLIER, code: 'S', name: 'Acme' },
  metadata: METADATA,
};
const rename = (name: string): RenameSupplier => ({
  type: 'RenameSupplier',
  data: { supplierId: SUPPLIER, name },
  metadata: METADATA,
});

describe('CommandExecutor', () => {
  const run = (
    executor: CommandExecutor,
    command: RegisterSupplier | RenameSupplier,
    expected?: number,
  ) => executor.execute(supplierDecider, `supplier-${SUPPLIER}`, expected, () => command);

  it('appends the decided events stamped with the command metadata, expecting the revision it read', async () => {
    const store = new MemoryStore();
    const executor = new CommandExecutor(store);
    const first = await run(executor, register);
    expect(first).toMatchObject({ streamId: `supplier-${SUPPLIER}`, revision: 0 });
    await run(executor, rename('Acme AG'));
    expect(store.appends.map((a) => a.expected)).toEqual(['no_stream', 0]);
    const stored = store.streams.get(`supplier-${SUPPLIER}`)?.[1];
    expect(stored).toMatchObject({ type: 'SupplierRenamed', schemaVersion: 2 });
    expect(stored?.metadata).toMatchObject({ actor: 'unit', correlationId: 'c', causationId: 'r' });
  });

  it('appends nothing for a command that changes nothing', async () => {
    const store = new MemoryStore();
    const executor = new CommandExecutor(store);
    await run(executor, register);
    const result = await run(executor, rename('Acme'));
    expect(result).toEqual({
      streamId: `supplier-${SUPPLIER}`,
      revision: 0,
      position: undefined,
      events: [],
    });
    expect(store.appends).toHaveLength(1);
  });

  it('refuses a stale expected revision before deciding', async () => {
    const store = new MemoryStore();
    const executor = new CommandExecutor(store);
    await run(executor, register);
    await expect(run(executor, rename('Other'), 3)).rejects.toEqual(
      new WrongExpectedRevisionError(`supplier-${SUPPLIER}`, 3, 0),
    );
    expect(store.appends).toHaveLength(1);
  });
});

describe('CommandInputPipe', () => {
  const pipe = new CommandInputPipe();
  const raw = (
    body: unknown,
    headers: Record<string, string> = {},
    params = { supplierId: SUPPLIER },
  ) => ({
    route: SupplierRoutes.rename,
    params,
    body,
    headers,
    ids: {
      requestId: 'req',
      correlationId: 'corr',
      receivedAt: Date.parse('2026-12-01T12:00:00Z'),
    },
    principal: { keyId: 'k1', name: 'erp-sync', roles: ['writer' as const] },
  });
  const issuesOf = (input: ReturnType<typeof raw>) => {
    try {
      pipe.transform(input);
    } catch (error) {
      if (error instanceof RequestValidationError) return error.issues.map((i) => i.field);
      throw error;
    }
    return [];
  };

  it('builds the domain command from path, body and headers', () => {
    const request = pipe.transform(
      raw(
        { name: 'Acme AG', occurredAt: '2025-03-01T12:00:00+01:00' },
        { 'x-actor': 'ops', 'if-match': 'W/"7"' },
      ),
    );
    expect(request).toEqual({
      command: {
        type: 'RenameSupplier',
        data: { supplierId: SUPPLIER, name: 'Acme AG' },
        metadata: {
          occurredAt: '2025-03-01T11:00:00.000Z',
          // The key's name; X-Actor no longer names anyone.
          actor: 'erp-sync',
          correlationId: 'corr',
          causationId: 'req',
        },
      },
      expectedRevision: 7,
    });
  });

  it('names every bad field: data.* for the payload, metadata.* for the envelope, headers.*', () => {
    expect(
      issuesOf(
        raw({ name: '', actor: '', surprise: 1 }, { 'if-match': 'x' }, { supplierId: 'nope' }),
      ).sort(),
    ).toEqual([
      // The actor is the key's, not the body's to say.
      'data.actor',
      'data.name',
      'data.supplierId',
      'data.surprise',
      'headers.if-match',
    ]);
    expect(issuesOf(raw([1, 2]))).toEqual(['body']);
  });

  it('a generated id of a new aggregate tells the executor that its stream is new', () => {
    const create = (route: typeof SupplierRoutes.register, body: unknown, params = {}) =>
      pipe.transform({ ...raw(body, {}, params as { supplierId: string }), route });
    const generated = create(SupplierRoutes.register, { code: 'S', name: 'Acme' });
    expect(generated.command.data).toMatchObject({
      supplierId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(generated.expectedRevision).toBe('no_stream');
    // An id the client chose may be taken already: the stream is read as usual.
    const chosen = create(SupplierRoutes.register, { supplierId: SUPPLIER, code: 'S', name: 'A' });
    expect(chosen.expectedRevision).toBeUndefined();
    // A new template lives in its project's stream, which is not new.
    const template = create(
      ProjectRoutes.createTemplate,
      { taskTypeId: SUPPLIER, taskId: SUPPLIER, dueDate: '2026-03-01' },
      { projectId: SUPPLIER },
    );
    expect(template.command.data).toHaveProperty('templateId');
    expect(template.expectedRevision).toBeUndefined();
  });

  it('records the user a key acts for beside the key, and defaults the business time to when the request arrived', () => {
    const input = raw({ name: 'x' });
    const { command } = pipe.transform({
      ...input,
      principal: { ...input.principal, onBehalfOf: 'j.keller@acme.example' },
    });
    expect(command.metadata).toMatchObject({
      actor: 'erp-sync',
      onBehalfOf: 'j.keller@acme.example',
    });
    expect(command.metadata.occurredAt).toBe('2026-12-01T12:00:00.000Z');
  });

  it('a keyed request derives its generated id from its seed, and carries the seed on', () => {
    const keyed = (seed: string) =>
      pipe.transform({
        ...raw({ code: 'S', name: 'Acme' }, {}, {} as { supplierId: string }),
        route: SupplierRoutes.register,
        ids: { ...raw(null).ids, keyed: { seed, resumed: true } },
      });
    const seed = '0b6a1f0e-2a44-4f7e-8d3c-5e9b7c1d2a3f';
    const first = keyed(seed);
    // uuid v5 of "id:supplierId" in the seed's namespace, computed independently (Python's uuid.uuid5).
    expect((first.command.data as { supplierId: string }).supplierId).toBe(
      'ea0e6723-8da3-54e0-952f-d0682a56936f',
    );
    expect((keyed(seed).command.data as { supplierId: string }).supplierId).toBe(
      (first.command.data as { supplierId: string }).supplierId,
    );
    expect(
      (keyed('9c1f2e3d-4b5a-4c6d-8e7f-0a1b2c3d4e5f').command.data as { supplierId: string })
        .supplierId,
    ).not.toBe((first.command.data as { supplierId: string }).supplierId);
    expect(first.command.metadata.idempotency).toEqual({ seed, resumed: true });
  });

  it('folds uppercase uuids to lowercase, in the path and in the body', () => {
    const upper = SUPPLIER.toUpperCase();
    const { command } = pipe.transform(raw({ name: 'x' }, {}, { supplierId: upper }));
    expect(command.data).toMatchObject({ supplierId: SUPPLIER });
  });
});

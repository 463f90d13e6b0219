import { CommandExecutor } from '../../src/application/command-executor';
import { streamId } from '../../src/domain/shared/decider';
import type { SupplierCommand } from '../../src/domain/supplier/supplier.commands';
import { supplierDecider } from '../../src/domain/supplier/supplier.decider';
import type { TaskTypeCommand } from '../../src/domain/task-type/task-type.commands';
import { taskTypeDecider } from '../../src/domain/task-type/task-type.decider';
import { WrongExpectedRevisionError } from '../../src/eventstore/errors';
import type { EventStore, ReadStreamOptions } from '../../src/eventstore/event-store.port';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

const metadata = { occurredAt: '2026-01-01T00:00:00.000Z', actor: 'test' };
const register = (supplierId: string): SupplierCommand => ({
  type: 'RegisterSupplier',
  data: { supplierId, code: 'ACME', name: 'Acme' },
  metadata,
});
const rename = (supplierId: string, name: string): SupplierCommand => ({
  type: 'RenameSupplier',
  data: { supplierId, name },
  metadata,
});

/** The real store, with every readStream call's options written down. */
function recording(store: EventStore) {
  const reads: Array<ReadStreamOptions | undefined> = [];
  const observed: Pick<EventStore, 'readStream' | 'append'> = {
    readStream: (id, options) => {
      reads.push(options);
      return store.readStream(id, options);
    },
    append: (id, events, expected) => store.append(id, events, expected),
  };
  return { observed, reads };
}

describe.each(SQL_BACKENDS)(
  'command executor on %s: folded states kept between loads',
  (_, open) => {
    let db: TestDatabase;
    let n = 0;
    let supplierId: string;
    let stream: string;
    beforeAll(async () => {
      db = await open();
    });
    afterAll(async () => {
      await db.close();
    });
    beforeEach(() => {
      n += 1;
      supplierId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      stream = streamId(supplierDecider.streamCategory, supplierId);
    });

    const run = (executor: CommandExecutor, command: SupplierCommand, expected?: number) =>
      executor.execute(supplierDecider, stream, expected, () => command);

    it('reads only the events after the cached revision, those of other writers included', async () => {
      const { observed, reads } = recording(db.store);
      const executor = new CommandExecutor(observed);
      const otherProcess = new CommandExecutor(db.store);
      await run(executor, register(supplierId));
      await run(otherProcess, rename(supplierId, 'Behind its back'));
      await run(otherProcess, rename(supplierId, 'Twice'));

      reads.length = 0;
      const loaded = await executor.load(supplierDecider, stream);
      expect(reads).toEqual([{ fromRevision: 1 }]);
      expect(loaded.revision).toBe(2);
      expect(loaded.state?.name).toBe('Twice');
      // The same as a full read by an executor that has never seen the stream.
      expect(loaded).toEqual(await new CommandExecutor(db.store).load(supplierDecider, stream));

      reads.length = 0;
      await executor.load(supplierDecider, stream);
      expect(reads).toEqual([{ fromRevision: 3 }]);
    });

    it('keeps the state its own append leaves: the next load reads no event twice', async () => {
      const { observed, reads } = recording(db.store);
      const executor = new CommandExecutor(observed);
      await run(executor, register(supplierId));
      await run(executor, rename(supplierId, 'Mine'));
      // The rename was decided on the state the registration left, with nothing read.
      expect(reads).toEqual([undefined]);

      reads.length = 0;
      const loaded = await executor.load(supplierDecider, stream);
      expect(reads).toEqual([{ fromRevision: 2 }]);
      expect(loaded).toEqual(await new CommandExecutor(db.store).load(supplierDecider, stream));
      expect(loaded.state?.name).toBe('Mine');
    });

    it('a command on a cached stream is appended with no read, and stored as decided', async () => {
      const { observed, reads } = recording(db.store);
      const executor = new CommandExecutor(observed);
      await run(executor, register(supplierId));
      reads.length = 0;
      const renamed = await run(executor, rename(supplierId, 'Unread'));
      expect(reads).toEqual([]);
      expect(renamed).toMatchObject({ revision: 1, events: [{ type: 'SupplierRenamed' }] });
      const stored = await db.store.readStream(stream);
      expect(stored.map((e) => [e.revision, e.type])).toEqual([
        [0, 'SupplierRegistered'],
        [1, 'SupplierRenamed'],
      ]);
    });

    it('another writer since the cached state: the command is decided again on what is stored', async () => {
      const { observed, reads } = recording(db.store);
      const executor = new CommandExecutor(observed);
      await run(executor, register(supplierId));
      await run(new CommandExecutor(db.store), rename(supplierId, 'Theirs'));
      reads.length = 0;
      await expect(run(executor, rename(supplierId, 'Ours'))).resolves.toMatchObject({
        revision: 2,
      });
      expect(reads).toEqual([{ fromRevision: 1 }]);
      const fresh = await new CommandExecutor(db.store).load(supplierDecider, stream);
      expect(fresh).toMatchObject({ revision: 2, state: { name: 'Ours' } });
    });

    it('a no-op on a stale cached state is not trusted: the stored state decides', async () => {
      const executor = new CommandExecutor(db.store);
      await run(executor, register(supplierId)); // named Acme
      await run(new CommandExecutor(db.store), rename(supplierId, 'Theirs'));
      // Acme again is a no-op on the cached state, and a rename on the stored one.
      await expect(run(executor, rename(supplierId, 'Acme'))).resolves.toMatchObject({
        revision: 2,
        events: [{ type: 'SupplierRenamed' }],
      });
      const fresh = await new CommandExecutor(db.store).load(supplierDecider, stream);
      expect(fresh.state?.name).toBe('Acme');
    });

    it('a rejection on a stale cached state is not trusted: the stored state decides', async () => {
      const taskTypeId = supplierId;
      const sectionId = '00000000-0000-4000-8000-00000000a2a2';
      const taskId = '00000000-0000-4000-8000-00000000b0b0';
      const taskTypeStream = streamId(taskTypeDecider.streamCategory, taskTypeId);
      const command = (type: TaskTypeCommand['type'], data: object) =>
        ({ type, data: { taskTypeId, ...data }, metadata }) as TaskTypeCommand;
      const onTaskType = (executor: CommandExecutor, c: TaskTypeCommand) =>
        executor.execute(taskTypeDecider, taskTypeStream, undefined, () => c);
      const executor = new CommandExecutor(db.store);
      await onTaskType(executor, command('CreateTaskType', { name: 'PA', category: 'NMR' }));
      await onTaskType(
        new CommandExecutor(db.store),
        command('CreateTaskTypeSection', { sectionId, code: 'PA2', name: 'PA2', sortOrder: 1 }),
      );
      // The section is unknown to the cached state, so deciding there alone would refuse this.
      const created = await onTaskType(
        executor,
        command('CreateTask', { sectionId, taskId, title: 'Run', sortOrder: 1 }),
      );
      expect(created).toMatchObject({ revision: 2, events: [{ type: 'TaskCreated' }] });
    });

    it('a stream the caller knows to be new is decided on the empty state, with no read', async () => {
      const { observed, reads } = recording(db.store);
      const created = await new CommandExecutor(observed).execute(
        supplierDecider,
        stream,
        'no_stream',
        () => register(supplierId),
      );
      expect(reads).toEqual([]);
      expect(created).toMatchObject({ revision: 0, events: [{ type: 'SupplierRegistered' }] });
      expect((await db.store.readStream(stream)).map((e) => e.revision)).toEqual([0]);
    });

    it('a stream said to be new that exists after all is refused with its revision', async () => {
      await run(new CommandExecutor(db.store), register(supplierId));
      await expect(
        // Decided on the empty state, the registration's append is refused; read, it is a 409.
        new CommandExecutor(db.store).execute(supplierDecider, stream, 'no_stream', () =>
          register(supplierId),
        ),
      ).rejects.toMatchObject({ expected: 'no_stream', actual: 0 });
      expect((await db.store.readStream(stream)).map((e) => e.revision)).toEqual([0]);
    });

    it('a stream expected to be new is appended with no read; when it exists, what is stored decides', async () => {
      const likelyNew = (executor: CommandExecutor, command: SupplierCommand) =>
        executor.execute(supplierDecider, stream, undefined, () => command, { likelyNew: true });
      const { observed, reads } = recording(db.store);
      await expect(
        likelyNew(new CommandExecutor(observed), register(supplierId)),
      ).resolves.toMatchObject({
        revision: 0,
      });
      expect(reads).toEqual([]);

      // A fresh executor (another process) guesses "new", is refused, reads, and decides on that.
      reads.length = 0;
      await expect(
        likelyNew(new CommandExecutor(observed), rename(supplierId, 'Known after all')),
      ).resolves.toMatchObject({ revision: 1, events: [{ type: 'SupplierRenamed' }] });
      expect(reads).toEqual([undefined]);
      await expect(
        likelyNew(new CommandExecutor(db.store), register(supplierId)),
      ).rejects.toMatchObject({ code: 'SUPPLIER.ALREADY_EXISTS' });
      expect((await db.store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1]);
    });

    it('a command decided on a cached state is still refused when If-Match is stale', async () => {
      const executor = new CommandExecutor(db.store);
      await run(executor, register(supplierId));
      await run(new CommandExecutor(db.store), rename(supplierId, 'Newer'));
      await expect(run(executor, rename(supplierId, 'Late'), 0)).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      await expect(run(executor, rename(supplierId, 'In time'), 1)).resolves.toMatchObject({
        revision: 2,
      });
    });

    it('16 concurrent writers without If-Match all append, at contiguous revisions', async () => {
      await run(new CommandExecutor(db.store), register(supplierId));
      // One executor each, as 16 processes: none knows what the others wrote.
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          run(new CommandExecutor(db.store), rename(supplierId, `name ${i}`)),
        ),
      );
      expect(results.map((r) => r.revision).sort((a, b) => a! - b!)).toEqual(
        Array.from({ length: 16 }, (_, i) => i + 1),
      );
      const stored = await db.store.readStream(stream);
      expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: 17 }, (_, i) => i));
      expect(new Set(stored.slice(1).map((e) => e.data.name)).size).toBe(16);
    });

    it('a resumed keyed command answers what its first run wrote, and writes nothing', async () => {
      const executor = new CommandExecutor(db.store);
      await run(executor, register(supplierId));
      const seed = '3b9c2d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d';
      const keyed = (resumed: boolean): SupplierCommand => ({
        ...rename(supplierId, 'Keyed'),
        metadata: { ...metadata, idempotency: { seed, resumed } },
      });
      const first = await run(executor, keyed(false));
      // uuid v5 of "event:0" in the seed's namespace, computed independently (Python's uuid5).
      expect(first.events.map((e) => e.eventId)).toEqual(['7b3f7f69-fa8f-5ec7-b5a0-0bf325cf6bf1']);
      // Others write after it; then the process dies before answering, and the retry resumes.
      await run(executor, rename(supplierId, 'Later'));
      const retried = await run(new CommandExecutor(db.store), keyed(true));
      expect(retried).toEqual(first);
      expect((await db.store.readStream(stream)).map((e) => e.data.name)).toEqual([
        'Acme',
        'Keyed',
        'Later',
      ]);
    });

    it('concurrent loads of one stream leave the newest state cached', async () => {
      const executor = new CommandExecutor(db.store);
      await run(executor, register(supplierId));
      for (let i = 0; i < 5; i++) {
        await Promise.all([
          run(new CommandExecutor(db.store), rename(supplierId, `Name ${i}`)),
          executor.load(supplierDecider, stream),
          executor.load(supplierDecider, stream),
        ]);
      }
      const fresh = await new CommandExecutor(db.store).load(supplierDecider, stream);
      expect(await executor.load(supplierDecider, stream)).toEqual(fresh);
      expect(fresh.state?.name).toBe('Name 4');
    });
  },
);

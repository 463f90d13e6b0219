import { CommandExecutor } from '../../src/application/command-executor';
import { streamId } from '../../src/domain/shared/decider';
import type { SupplierCommand } from '../../src/domain/supplier/supplier.commands';
import { supplierDecider } from '../../src/domain/supplier/supplier.decider';
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
      expect(reads).toEqual([undefined, { fromRevision: 1 }]);

      reads.length = 0;
      const loaded = await executor.load(supplierDecider, stream);
      expect(reads).toEqual([{ fromRevision: 2 }]);
      expect(loaded).toEqual(await new CommandExecutor(db.store).load(supplierDecider, stream));
      expect(loaded.state?.name).toBe('Mine');
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

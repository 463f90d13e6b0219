import 'reflect-metadata';
import { ClaimsBackfillGate } from '../../src/application/claims-backfill-gate';
import { CommandExecutor } from '../../src/application/command-executor';
import { SupplierCommands } from '../../src/application/supplier/supplier.commands';
import { SupplierHandlers } from '../../src/application/supplier/supplier.handlers';
import type { EventStore } from '../../src/eventstore/event-store.port';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

const metadata = { occurredAt: '2026-01-01T00:00:00.000Z', actor: 'test' };
const RegisterHandler = SupplierHandlers[0]!;

/** The real store, with every write call counted; `atomic: false` hides its atomic appends. */
function counted(store: EventStore, { atomic }: { atomic: boolean }) {
  const calls: string[] = [];
  const observed: Pick<EventStore, 'readStream' | 'append'> &
    Partial<Pick<EventStore, 'appendAtomically'>> = {
    readStream: (id, options) => store.readStream(id, options),
    append: (id, events, expected) => {
      calls.push(`append ${id.split('-')[0]}`);
      return store.append(id, events, expected);
    },
  };
  if (atomic) {
    observed.appendAtomically = (appends) => {
      calls.push(`atomic ${appends.map((a) => a.streamId.split('-')[0]).join('+')}`);
      return store.appendAtomically!(appends);
    };
  }
  return { observed, calls };
}

describe.each(SQL_BACKENDS)('a new supplier and its code claim on %s', (_, open) => {
  let db: TestDatabase;
  let n = 0;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  const register = (observed: ReturnType<typeof counted>['observed'], code: string) => {
    n += 1;
    const supplierId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const gate = new ClaimsBackfillGate();
    gate.set({ phase: 'done' });
    const handler = new RegisterHandler(new CommandExecutor(observed as EventStore), gate);
    const command = new SupplierCommands.RegisterSupplier({
      command: { type: 'RegisterSupplier', data: { supplierId, code, name: code }, metadata },
      expectedRevision: 'no_stream',
    });
    return { supplierId, result: handler.execute(command) };
  };

  it('are appended together, in one atomic append, where the store has them', async () => {
    const { observed, calls } = counted(db.store, { atomic: true });
    const { supplierId, result } = register(observed, 'ONE-APPEND');
    await expect(result).resolves.toMatchObject({
      streamId: `supplier-${supplierId}`,
      revision: 0,
    });
    expect(calls).toEqual(['atomic suppliercode+supplier']);
    const [claim] = await db.store.readStream('suppliercode-one-append');
    expect(claim?.data).toMatchObject({ holderId: supplierId });
  });

  it('are appended one after the other where it has none', async () => {
    const { observed, calls } = counted(db.store, { atomic: false });
    const { supplierId, result } = register(observed, 'TWO-APPENDS');
    await expect(result).resolves.toMatchObject({ streamId: `supplier-${supplierId}` });
    expect(calls).toEqual(['append suppliercode', 'append supplier']);
  });

  it.each([true, false])(
    'a code already taken is refused naming its holder, and no supplier is written (atomic: %s)',
    async (atomic) => {
      const code = `TAKEN-${String(atomic)}`;
      const first = register(counted(db.store, { atomic }).observed, code);
      await first.result;
      const { observed } = counted(db.store, { atomic });
      const second = register(observed, code.toLowerCase());
      await expect(second.result).rejects.toMatchObject({
        code: 'SUPPLIER.CODE_TAKEN',
        details: { code: code.toLowerCase(), existing: { supplierId: first.supplierId } },
      });
      await expect(db.store.readStream(`supplier-${second.supplierId}`)).resolves.toEqual([]);
    },
  );
});

import { EsdbEventStore } from '../../src/eventstore/esdb/esdb-event-store';
import { eventStoreContract } from './event-store.contract';

const url = process.env.EVENTSTORE_URL ?? '';

// No EventStoreDB server can run on the machines these tests usually run on: without one the
// suite is reported as skipped, with the reason printed once.
if (url === '') {
  console.warn(
    'EventStoreDB contract suite skipped: EVENTSTORE_URL is not set (e.g. EVENTSTORE_URL=esdb://localhost:2113?tls=false)',
  );
}

(url === '' ? describe.skip : describe)('on the EventStoreDB of EVENTSTORE_URL', () => {
  // EventStoreDB has one log per server: the contract's own streams are fresh uuids, and it
  // reads the log only after the head it found when each test began.
  eventStoreContract('EventStoreDB', {
    open: () => EsdbEventStore.connect(url),
    close: (store) => store.close(),
  });
});

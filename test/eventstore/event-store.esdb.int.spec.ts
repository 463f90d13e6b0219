import { EsdbEventStore } from '../../src/eventstore/esdb/esdb-event-store';
import { eventStoreContract } from './event-store.contract';

const url = process.env.EVENTSTORE_URL;

if (url) {
  // EventStoreDB has one log per server: the contract's own streams are fresh uuids, and it
  // reads the log only after the head it found when each test began.
  eventStoreContract('EventStoreDB', {
    open: () => EsdbEventStore.connect(url),
    close: (store) => store.close(),
  });
} else {
  describe('event store contract: EventStoreDB', () => {
    it('is skipped: EVENTSTORE_URL is not set (no EventStoreDB server on this machine)', () => {
      console.warn(
        'EventStoreDB contract suite SKIPPED: set EVENTSTORE_URL=esdb://host:2113?tls=false to run it',
      );
      expect(process.env.EVENTSTORE_URL).toBeUndefined();
    });
  });
}

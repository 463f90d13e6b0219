import {
  AccessDeniedError,
  convertToCommandError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  START,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { StoreUnavailableError, WrongExpectedRevisionError } from '../../src/eventstore/errors';
import { kindOf, toPortError } from '../../src/eventstore/esdb/esdb-errors';
import { accepts, serverFilterOf } from '../../src/eventstore/esdb/esdb-filter';
import { portPositionOf, readPositionAfter } from '../../src/eventstore/esdb/esdb-position';

/** An error as gRPC hands it to the client: a status code and the server's metadata. */
function wireError(code: number, metadata: Record<string, string>) {
  return Object.assign(new Error(`${code} from the server`), {
    code,
    details: '',
    metadata: { getMap: () => metadata },
  });
}

describe('EventStoreDB errors as the port states them', () => {
  it('a wrong expected version is the conflict, with the actual revision', () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'task-1',
      expected: 3n,
      current: 5n,
    });
    const mapped = toPortError(error, { streamId: 'task-1', expected: 3 });
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ streamId: 'task-1', expected: 3, actual: 5 });
  });

  it('a wrong expected version on a missing stream has no actual revision', () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'task-1',
      expected: 'stream_exists',
      current: 'no_stream',
    });
    expect(toPortError(error, { streamId: 'task-1', expected: 'stream_exists' })).toMatchObject({
      actual: undefined,
    });
  });

  it('the server unavailable, a deadline, a timeout: the port is unavailable', () => {
    // 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED, 10 ABORTED: how the client classifies gRPC statuses.
    for (const code of [14, 4, 10]) {
      const error = convertToCommandError(wireError(code, {}));
      const mapped = toPortError(error);
      expect(mapped).toBeInstanceOf(StoreUnavailableError);
      expect((mapped as StoreUnavailableError).cause).toBe(error);
    }
    expect(toPortError(new UnavailableError())).toBeInstanceOf(StoreUnavailableError);
    expect(toPortError(new DeadlineExceededError())).toBeInstanceOf(StoreUnavailableError);
  });

  it('gossip finding no node is unavailable too', () => {
    expect(toPortError(new Error('Failed to discover after 10 attempts.'))).toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  it('a follower answering is retried, not mapped; if it reaches the port there is no stable leader', () => {
    const error = convertToCommandError(
      wireError(5, {
        exception: 'not-leader',
        'leader-endpoint-host': 'node2',
        'leader-endpoint-port': '2113',
      }),
    );
    expect(error.constructor.name).toBe('NotLeaderError');
    expect(kindOf(error as Parameters<typeof kindOf>[0])).toBe('not-leader');
    const mapped = toPortError(error);
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as Error).message).toContain('node2:2113');
  });

  it('faults of the deployment or of ours pass through as they are', () => {
    const denied = new AccessDeniedError();
    const tooBig = new MaxAppendSizeExceededError(undefined, 1024);
    const plain = new Error('a bug');
    expect(toPortError(denied)).toBe(denied);
    expect(toPortError(tooBig)).toBe(tooBig);
    expect(toPortError(plain)).toBe(plain);
  });
});

describe('positions', () => {
  it("the port's position is the commit position", () => {
    expect(portPositionOf({ commit: 1234n, prepare: 1234n })).toBe(1234n);
  });

  it('a stream read without a $all position has none (not 2^64 - 1)', () => {
    expect(portPositionOf(undefined)).toBeUndefined();
    expect(portPositionOf({ commit: 18446744073709551615n, prepare: 18446744073709551615n })).toBe(
      undefined,
    );
  });

  it('a read after p starts at p (inclusive: the reader drops it), after 0 at the start', () => {
    expect(readPositionAfter(0n)).toBe(START);
    expect(readPositionAfter(977n)).toEqual({ commit: 977n, prepare: 977n });
  });
});

describe('the server-side filter of a $all read', () => {
  const regexOf = (filter: ReturnType<typeof serverFilterOf>) =>
    new RegExp((filter as { regex: string }).regex);

  it('with no selection, keeps system events on the server', () => {
    const filter = serverFilterOf({});
    expect(filter.filterOn).toBe('eventType');
    expect(regexOf(filter).test('$statsCollected')).toBe(false);
    expect(regexOf(filter).test('TaskCompleted')).toBe(true);
  });

  it('by category: the stream name up to its first dash, names taken literally', () => {
    const filter = serverFilterOf({ categories: ['task', 'a.b'], types: ['X'] });
    expect(filter.filterOn).toBe('streamName');
    const re = regexOf(filter);
    expect(['task-1', 'task', 'a.b-9'].map((s) => re.test(s))).toEqual([true, true, true]);
    expect(['tasks-1', 'taskX', 'axb-9', '$ce-task', 'x-task-1'].map((s) => re.test(s))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('by type when no category is given, whole names only', () => {
    const filter = serverFilterOf({ types: ['Created', 'Done'] });
    expect(filter.filterOn).toBe('eventType');
    const re = regexOf(filter);
    expect(['Created', 'Done', 'Created2', 'XDone'].map((t) => re.test(t))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('an empty list selects nothing', () => {
    const re = regexOf(serverFilterOf({ categories: [] }));
    expect(['task-1', ''].some((s) => re.test(s))).toBe(false);
  });

  it('what comes back is checked whole: categories and types, never a system event', () => {
    const options = { categories: ['task'], types: ['Done'] };
    expect(accepts({ streamId: 'task-1', type: 'Done' }, options)).toBe(true);
    expect(accepts({ streamId: 'task-1', type: 'Created' }, options)).toBe(false);
    expect(accepts({ streamId: 'supplier-1', type: 'Done' }, options)).toBe(false);
    expect(accepts({ streamId: 'task-1', type: '$metadata' }, {})).toBe(false);
    expect(accepts({ streamId: '$stats-node', type: 'Stats' }, {})).toBe(false);
  });
});

import { ClaimsBackfillGate, ClaimsBackfillingError } from './claims-backfill-gate';

const refusalOf = (gate: ClaimsBackfillGate): unknown => {
  try {
    gate.assertDone();
    return undefined;
  } catch (error) {
    return error;
  }
};

describe('the claims backfill gate', () => {
  it('given a service that has not begun its backfill, refuses a command that claims', () => {
    const refusal = refusalOf(new ClaimsBackfillGate());
    expect(refusal).toBeInstanceOf(ClaimsBackfillingError);
    expect(refusal).toMatchObject({ code: 'CLAIMS.BACKFILLING' });
    expect((refusal as Error).message).toContain('starting');
  });

  it('given a backfill under way, refuses naming the positions read of the total', () => {
    const gate = new ClaimsBackfillGate();
    gate.set({ phase: 'running', progress: { done: 4000, total: 200_000 } });
    expect((refusalOf(gate) as Error).message).toContain(
      '4000 of 200000 positions of the log read',
    );
  });

  it('given a failed run waiting to retry, refuses naming the failure', () => {
    const gate = new ClaimsBackfillGate();
    gate.set({
      phase: 'retrying',
      progress: { done: 2000, total: 6000 },
      error: 'the store is unavailable: connection refused',
      retryInMs: 1000,
    });
    expect((refusalOf(gate) as Error).message).toContain(
      '2000 of 6000 positions of the log read, then failed (the store is unavailable: connection refused); retrying in 1000 ms',
    );
  });

  it('given the backfill done, lets the command through', () => {
    const gate = new ClaimsBackfillGate();
    gate.set({ phase: 'done' });
    expect(refusalOf(gate)).toBeUndefined();
  });
});

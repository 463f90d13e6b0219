/** Today's date as the dashboards count it; a provider so tests can fix the day. */
export interface Clock {
  /** `YYYY-MM-DD`, in UTC. */
  today(): string;
}

export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { today: () => new Date().toISOString().slice(0, 10) };

/** The time source of scheduled jobs and timestamps; tests inject their own. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };

export const clockProvider = { provide: CLOCK, useValue: systemClock };

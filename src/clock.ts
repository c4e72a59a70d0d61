import { setTimeout } from 'node:timers/promises';

/** Time enters the domain through a Clock, so expiry and rotation are tested without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Holding an answer back (the growing delay after wrong passwords) is a wait passed in like
 * the Clock, so tests see how long an answer was held instead of waiting for it.
 */
export type Sleep = (milliseconds: number) => Promise<void>;

export const realSleep: Sleep = async (milliseconds) => {
  await setTimeout(milliseconds);
};

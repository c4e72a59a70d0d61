/** Time enters the domain through a Clock, so expiry and rotation are tested without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

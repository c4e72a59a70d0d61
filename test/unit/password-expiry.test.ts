import test from 'ava';
import { defaultPasswordPolicy, passwordStatus, type PasswordStatus } from '../../src/passwords/index.ts';

const changedAt = new Date('2026-01-10T08:00:00+07:00');
const expiresAt = new Date('2026-04-10T08:00:00+07:00');
const DAY = 24 * 60 * 60 * 1000;

function dayAfterChange(days: number): Date {
  return new Date(changedAt.getTime() + days * DAY);
}

// Hue-S Art. 9.1: changed at least every 90 days; warned from 14 days before.
const schedule: [when: string, now: Date, status: PasswordStatus][] = [
  ['on the day it was set', dayAfterChange(0), { state: 'current', expiresAt, daysLeft: 90 }],
  ['on day 75, 15 days before expiry', dayAfterChange(75), { state: 'current', expiresAt, daysLeft: 15 }],
  ['one minute before the warning starts', new Date(dayAfterChange(76).getTime() - 60_000), { state: 'current', expiresAt, daysLeft: 15 }],
  ['on day 76, 14 days before expiry', dayAfterChange(76), { state: 'warn', expiresAt, daysLeft: 14 }],
  ['on day 89', dayAfterChange(89), { state: 'warn', expiresAt, daysLeft: 1 }],
  ['one minute before expiry', new Date(expiresAt.getTime() - 60_000), { state: 'warn', expiresAt, daysLeft: 1 }],
  ['on day 90', dayAfterChange(90), { state: 'expired', expiresAt }],
  ['on day 91', dayAfterChange(91), { state: 'expired', expiresAt }],
  ['a year later', dayAfterChange(365), { state: 'expired', expiresAt }],
];

for (const [when, now, status] of schedule) {
  test(`a password is ${status.state} ${when}`, (t) => {
    t.deepEqual(passwordStatus(changedAt, now, defaultPasswordPolicy), status);
  });
}

test('90 days run from the moment of the change, across month ends', (t) => {
  t.deepEqual(expiresAt, dayAfterChange(90));
  t.is(passwordStatus(changedAt, new Date('2026-04-10T07:59:59+07:00'), defaultPasswordPolicy).state, 'warn');
  t.is(passwordStatus(changedAt, new Date('2026-04-10T08:00:00+07:00'), defaultPasswordPolicy).state, 'expired');
});

test('with rotation off (maxAgeDays 0) a password never expires', (t) => {
  const policy = { ...defaultPasswordPolicy, maxAgeDays: 0 };
  t.deepEqual(passwordStatus(changedAt, dayAfterChange(10_000), policy), { state: 'current' });
});

test('an account without a password (VNeID only) has nothing to rotate', (t) => {
  t.deepEqual(passwordStatus(null, dayAfterChange(1000), defaultPasswordPolicy), { state: 'none' });
});

test('the maximum age and warning period follow the policy', (t) => {
  const policy = { ...defaultPasswordPolicy, maxAgeDays: 30, warnDays: 7 };
  t.is(passwordStatus(changedAt, dayAfterChange(22), policy).state, 'current');
  t.deepEqual(passwordStatus(changedAt, dayAfterChange(23), policy), { state: 'warn', expiresAt: dayAfterChange(30), daysLeft: 7 });
  t.is(passwordStatus(changedAt, dayAfterChange(30), policy).state, 'expired');
});

test('with no warning period a password goes from current to expired', (t) => {
  const policy = { ...defaultPasswordPolicy, warnDays: 0 };
  t.is(passwordStatus(changedAt, new Date(expiresAt.getTime() - 1), policy).state, 'current');
  t.is(passwordStatus(changedAt, expiresAt, policy).state, 'expired');
});

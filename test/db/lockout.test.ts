import test from 'ava';
import { randomUUID } from 'node:crypto';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../helpers/server.ts';
import { SignInLockout, type LockoutSettings, type ThrottleKey } from '../../src/passwords/lockout.ts';

let db: MigratedTestDatabase;
let now = Date.parse('2026-11-28T08:00:00Z');
const clock = { now: () => new Date(now) };
const settings: LockoutSettings = { accountMaxFailures: 5, accountLockSeconds: 900, windowSeconds: 900, identifierIpMaxFailures: 10, ipMaxFailures: 100, ipLockSeconds: 900 };

test.before(async () => {
  db = await openMigratedTestDatabase();
});
test.after.always(async () => {
  await db?.close();
});

function keys(ip = `10.1.0.${Math.floor(Math.random() * 250)}`) {
  const account: ThrottleKey = `account:${randomUUID()}`;
  return { subject: account, identifierIp: `identifier-ip:${randomUUID()}:${ip}` as ThrottleKey, ip: `ip:${ip}` as ThrottleKey };
}

test.serial('the fifth failure locks the account for 15 minutes; the lock lifts by itself', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, settings);
  const k = keys();
  for (let i = 1; i <= 4; i += 1) {
    const outcome = await lockout.recordFailure(k);
    t.deepEqual([outcome.failures, outcome.lockedNow], [i, false]);
  }
  t.is(await lockout.lockedUntil([k.subject]), null);
  const fifth = await lockout.recordFailure(k);
  t.true(fifth.lockedNow);
  t.is(fifth.lockedUntil?.getTime(), now + 900_000);
  t.is((await lockout.lockedUntil([k.subject]))?.getTime(), now + 900_000);
  const sixth = await lockout.recordFailure(k);
  t.false(sixth.lockedNow, 'a lock is announced once');
  now += 901_000;
  t.is(await lockout.lockedUntil([k.subject]), null);
});

test.serial('failures older than the window are forgotten', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, settings);
  const k = keys();
  for (let i = 0; i < 4; i += 1) await lockout.recordFailure(k);
  now += 901_000;
  const next = await lockout.recordFailure(k);
  t.is(next.failures, 1);
});

test.serial('an operator unlock clears the lock at once', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, settings);
  const k = keys();
  for (let i = 0; i < 5; i += 1) await lockout.recordFailure(k);
  t.truthy(await lockout.lockedUntil([k.subject]));
  t.true(await lockout.unlock(k.subject.slice('account:'.length)));
  t.is(await lockout.lockedUntil([k.subject]), null);
});

test.serial('concurrent failures (as from several nodes) are all counted', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, { ...settings, accountMaxFailures: 50 });
  const k = keys();
  await Promise.all(Array.from({ length: 20 }, () => lockout.recordFailure(k)));
  t.is(await lockout.failures(k.subject), 20);
});

test.serial('one address failing on many identifiers is locked as an address', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, { ...settings, ipMaxFailures: 6 });
  const ip = '203.0.113.9';
  for (let i = 0; i < 6; i += 1) await lockout.recordFailure(keys(ip));
  t.truthy(await lockout.lockedUntil([`ip:${ip}`]));
  t.is(await lockout.lockedUntil(['ip:203.0.113.10']), null);
});

test.serial('a success clears the counts it is given', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, settings);
  const k = keys();
  for (let i = 0; i < 3; i += 1) await lockout.recordFailure(k);
  await lockout.recordSuccess([k.subject, k.identifierIp]);
  t.is(await lockout.failures(k.subject), 0);
  t.is(await lockout.failures(k.ip), 3, 'the address keeps its count');
});

test.serial('the standing before a password: the lock in force, and whether a success has anything to clear', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, settings);
  const k = keys();
  t.deepEqual(await lockout.standing([k.subject, k.identifierIp, k.ip], [k.subject, k.identifierIp]), { lockedUntil: null, failuresRecorded: false });
  await lockout.recordFailure(k);
  t.deepEqual(await lockout.standing([k.subject, k.identifierIp, k.ip], [k.subject, k.identifierIp]), { lockedUntil: null, failuresRecorded: true });
  t.false((await lockout.standing([k.ip], [keys().subject])).failuresRecorded, 'the address alone is never cleared');
  for (let i = 0; i < 4; i += 1) await lockout.recordFailure(k);
  t.is((await lockout.standing([k.subject, k.identifierIp, k.ip], [k.subject]))?.lockedUntil?.getTime(), now + 900_000);
  now += 901_000;
  t.deepEqual(await lockout.standing([k.subject, k.identifierIp, k.ip], [k.subject]), { lockedUntil: null, failuresRecorded: true }, 'an ended lock is not in force');
});

test('the delay grows after the second failure and is capped', (t) => {
  const lockout = new SignInLockout(db.knex, clock, settings);
  t.deepEqual([1, 2, 3, 4, 5, 6, 10].map((n) => lockout.delayAfter(n)), [0, 0, 1, 2, 4, 8, 8]);
});

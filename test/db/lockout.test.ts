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

let addresses = 0;
/** Keys of an attempt; each from an address of its own unless told. */
function keys(ip = `10.1.${Math.floor(++addresses / 250)}.${addresses % 250}`) {
  const identifier = randomUUID();
  return { identifier: `identifier:${identifier}` as ThrottleKey, pair: `identifier-ip:${identifier}:${ip}` as ThrottleKey, ip: `ip:${ip}` as ThrottleKey };
}
const all = (k: ReturnType<typeof keys>): ThrottleKey[] => [k.identifier, k.pair, k.ip];
const failuresOf = async (key: string) => Number((await db.knex('sign_in_throttles').where({ key }).first())?.failures ?? 0);

test.serial('five attempts are allowed; the fifth, if wrong, locks for 15 minutes; the lock lifts by itself', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, settings);
  const k = keys();
  for (let i = 1; i <= 4; i += 1) {
    const attempt = await lockout.reserve(all(k));
    t.deepEqual([attempt.allowed, attempt.failures, attempt.locksIfWrong], [true, i, false]);
  }
  const fifth = await lockout.reserve(all(k));
  t.deepEqual([fifth.allowed, fifth.locksIfWrong], [true, true], 'the fifth is still checked');
  t.is(fifth.lockedUntil?.getTime(), now + 900_000);
  const sixth = await lockout.reserve(all(k));
  t.deepEqual([sixth.allowed, sixth.locksIfWrong], [false, false], 'locked: refused unchecked; the lock is announced once');
  t.is(sixth.lockedUntil?.getTime(), now + 900_000);
  now += 901_000;
  const after = await lockout.reserve(all(k));
  t.deepEqual([after.allowed, after.failures], [true, 1], 'an ended lock starts a new count');
});

test.serial('failures older than the window are forgotten', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, settings);
  const k = keys();
  for (let i = 0; i < 4; i += 1) await lockout.reserve(all(k));
  now += 901_000;
  t.is((await lockout.reserve(all(k))).failures, 1);
});

test.serial('an operator unlock clears the password locks of the account\'s identifiers, from every address, and the second-factor lock at once', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, settings);
  const k = keys();
  const accountId = randomUUID();
  const secondFactor: ThrottleKey = `second-factor:${accountId}`;
  // The pair of identifier and address locks at 10: from one address, 11 attempts.
  for (let i = 0; i < 11; i += 1) await Promise.all([lockout.reserve(all(k)), lockout.reserve([secondFactor])]);
  t.false((await lockout.reserve([k.identifier])).allowed);
  t.false((await lockout.reserve([k.pair])).allowed);
  t.false((await lockout.reserve([secondFactor])).allowed);
  const other = keys();
  t.true(await lockout.unlock(accountId, [k.identifier]));
  t.true((await lockout.reserve(all(k))).allowed);
  t.true((await lockout.reserve([secondFactor])).allowed);
  for (let i = 0; i < 6; i += 1) await lockout.reserve([other.identifier]);
  t.false((await lockout.reserve([other.identifier])).allowed, 'another identifier keeps its lock');
});

test.serial('concurrent attempts (as from several nodes) each get their own count: no more than the limit are allowed', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, settings);
  const k = keys();
  const attempts = await Promise.all(Array.from({ length: 40 }, () => lockout.reserve(all(k))));
  t.is(attempts.filter((attempt) => attempt.allowed).length, 5);
  t.is(attempts.filter((attempt) => attempt.locksIfWrong).length, 1, 'one attempt reaches the limit');
  t.deepEqual(attempts.map((attempt) => attempt.failures).sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i + 1));
  t.is(await failuresOf(k.ip), 40, 'every attempt is counted, the refused ones too');
});

test.serial('one address failing on many identifiers is locked as an address', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, { ...settings, ipMaxFailures: 6 });
  const ip = '203.0.113.9';
  for (let i = 0; i < 6; i += 1) t.true((await lockout.reserve(all(keys(ip)))).allowed);
  t.false((await lockout.reserve(all(keys(ip)))).allowed);
  t.true((await lockout.reserve(all(keys('203.0.113.10')))).allowed);
});

test.serial('a right secret clears what it proves; the address only gets its own attempt back', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, settings);
  const k = keys();
  for (let i = 0; i < 3; i += 1) await lockout.reserve(all(k));
  await lockout.clear({ cleared: [k.identifier, k.pair], refunded: k.ip });
  t.is(await failuresOf(k.identifier), 0);
  t.is(await failuresOf(k.pair), 0);
  t.is(await failuresOf(k.ip), 2, 'the address keeps the failures, not the attempt that succeeded');
  t.is((await lockout.reserve(all(k))).failures, 1);
});

test.serial('an address whose limit was reached by a right secret is not locked by it', async (t) => {
  const lockout = new SignInLockout(db.knex, clock, { ...settings, ipMaxFailures: 3 });
  const ip = '203.0.113.20';
  for (let i = 0; i < 2; i += 1) await lockout.reserve(all(keys(ip)));
  const right = keys(ip);
  t.true((await lockout.reserve(all(right))).allowed);
  await lockout.clear({ cleared: [right.identifier, right.pair], refunded: right.ip });
  t.true((await lockout.reserve(all(keys(ip)))).allowed, 'the third failure is allowed: the success gave its place back');
  t.false((await lockout.reserve(all(keys(ip)))).allowed);
});

test('the delay grows after the second failure and is capped', (t) => {
  const lockout = new SignInLockout(db.knex, clock, settings);
  t.deepEqual([1, 2, 3, 4, 5, 6, 10].map((n) => lockout.delayAfter(n)), [0, 0, 1, 2, 4, 8, 8]);
});

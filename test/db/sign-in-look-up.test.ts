import test from 'ava';
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../helpers/server.ts';
import { requestScope } from '../../src/db/index.ts';
import { AccountStore, type AttemptKeys } from '../../src/accounts/store.ts';
import { SignInLockout, type LockoutSettings, type ThrottleKey } from '../../src/passwords/lockout.ts';
import { TotpFactors } from '../../src/otp/index.ts';
import { Sealer } from '../../src/secrets/index.ts';

let db: MigratedTestDatabase;
let accounts: AccountStore;
let lockout: SignInLockout;
let totp: TotpFactors;
const now = Date.parse('2026-12-02T08:00:15Z');
const clock = { now: () => new Date(now) };
const settings: LockoutSettings = { accountMaxFailures: 5, accountLockSeconds: 900, windowSeconds: 900, identifierIpMaxFailures: 10, ipMaxFailures: 100, ipLockSeconds: 600 };
/** Statements on the tables a sign-in look-up reads or writes. */
const statements: string[] = [];

test.before(async () => {
  db = await openMigratedTestDatabase();
  const sealer = new Sealer(randomBytes(32));
  accounts = new AccountStore(db.knex, sealer);
  lockout = new SignInLockout(db.knex, clock, settings);
  totp = new TotpFactors({ knex: db.knex, sealer, clock, hashKey: randomBytes(32), issuer: 'Tỉnh Thừa Thiên Huế' });
  db.knex.on('query', (query: { sql: string }) => {
    if (/"?(accounts|sign_in_throttles|totp_factors)"? /.test(query.sql)) statements.push(query.sql);
  });
});
test.after.always(async () => {
  await db?.close();
});

const asRequest = (work: () => Promise<void>) => requestScope()({} as never, work);

function keysFor(ip: string): AttemptKeys & { all: ThrottleKey[] } {
  const key = randomBytes(8).toString('hex');
  const keys: AttemptKeys = { identifiers: [`identifier:${key}`], pairs: [`identifier-ip:${key}:${ip}`], ip: `ip:${ip}` };
  return { ...keys, all: [...keys.identifiers, ...keys.pairs, keys.ip] };
}
const failuresOf = async (key: string) => Number((await db.knex('sign_in_throttles').where({ key }).first())?.failures ?? 0);

test.serial('one statement finds the account, counts the attempt under its keys, and reads whether it has an authenticator', async (t) => {
  const account = await accounts.create({ type: 'citizen', fullName: 'Lê Văn Cường', nationalId: '046095001234' });
  const { secret } = await totp.beginEnrolment(account.id, 'cuong');
  await totp.confirmEnrolment(account.id, await generate({ secret, epoch: Math.floor(now / 1000) }));
  const keys = keysFor('198.51.100.7');

  await asRequest(async () => {
    const before = statements.length;
    const { accounts: found, counted } = await accounts.findForSignIn({ nationalId: '046095001234' }, keys, lockout.counting());
    t.is(found[0]?.id, account.id);
    t.deepEqual(counted.map((row) => [row.key, row.failures]).sort(), keys.all.map((key) => [key, 1]).sort());
    t.true(lockout.judge(counted).allowed);
    t.true(await totp.isEnrolled(account.id));
    t.is(statements.length, before + 1, 'one statement for all three');
  });
});

test.serial('an identifier naming no account counts under the same keys, in the same one statement', async (t) => {
  const keys = keysFor('198.51.100.8');
  const before = statements.length;
  const { accounts: found, counted } = await accounts.findForSignIn({ nationalId: '001099009999' }, keys, lockout.counting());
  t.deepEqual(found, []);
  t.deepEqual(counted.map((row) => row.key).sort(), [...keys.all].sort());
  t.is(statements.length, before + 1);
});

test.serial('text that parses as no identifier is still counted', async (t) => {
  const keys = keysFor('198.51.100.9');
  const { counted } = await accounts.findForSignIn({}, keys, lockout.counting());
  t.is(counted.length, 3);
});

test.serial('an identifier naming two accounts names none, and counts under the same keys', async (t) => {
  for (const nationalId of ['046090000301', '046090000302']) await accounts.create({ type: 'citizen', fullName: 'Trần Văn Hai', nationalId, phone: '+84399000111' });
  const keys = keysFor('198.51.100.10');
  const { accounts: found, counted } = await accounts.findForSignIn({ phone: '+84399000111' }, keys, lockout.counting());
  t.is(found.length, 2);
  t.deepEqual(counted.map((row) => row.key).sort(), [...keys.all].sort());
});

test.serial('the look-up counts refused attempts too, and a lock of the identifier alone refuses them', async (t) => {
  const account = await accounts.create({ type: 'citizen', fullName: 'Võ Thị Em', nationalId: '046196005678' });
  await totp.beginEnrolment(account.id, 'em');
  const keys = keysFor('198.51.100.11');
  // Five failures from other addresses: the identifier is locked, this address and pair are not.
  for (let i = 0; i < 5; i += 1) await lockout.reserve([keys.identifiers[0], `ip:10.9.0.${i}`]);
  await asRequest(async () => {
    const { counted } = await accounts.findForSignIn({ nationalId: '046196005678' }, keys, lockout.counting());
    const attempt = lockout.judge(counted);
    t.false(attempt.allowed);
    t.is(attempt.lockedUntil?.getTime(), now + 900_000);
    t.false(await totp.isEnrolled(account.id), 'enrolment begun, never confirmed');
  });
  t.is(await failuresOf(keys.identifiers[0]), 6);
});

test.serial('a look-up outside sign-in reads the account alone and counts nothing', async (t) => {
  await accounts.create({ type: 'citizen', fullName: 'Đỗ Văn Phúc', nationalId: '046097008765' });
  const before = await db.knex('sign_in_throttles').count({ n: '*' });
  const [found] = await accounts.findActiveByIdentifier({ nationalId: '046097008765' });
  t.is(found?.fullName, 'Đỗ Văn Phúc');
  t.deepEqual(await db.knex('sign_in_throttles').count({ n: '*' }), before);
});

test.serial('removing the authenticator in the same request forgets that the look-up found one', async (t) => {
  const account = await accounts.create({ type: 'citizen', fullName: 'Phạm Thị Dung', nationalId: '079301004567' });
  const { secret } = await totp.beginEnrolment(account.id, 'dung');
  await totp.confirmEnrolment(account.id, await generate({ secret, epoch: Math.floor(now / 1000) }));
  await asRequest(async () => {
    await accounts.findForSignIn({ nationalId: '079301004567' }, keysFor('198.51.100.9'), lockout.counting());
    await totp.remove(account.id);
    t.false(await totp.isEnrolled(account.id), 'read again after the write, not handed the row read before it');
  });
});

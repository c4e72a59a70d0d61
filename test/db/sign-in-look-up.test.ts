import test from 'ava';
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../helpers/server.ts';
import { requestScope } from '../../src/db/index.ts';
import { AccountStore } from '../../src/accounts/index.ts';
import { SignInLockout, type LockoutSettings, type ThrottleKey } from '../../src/passwords/lockout.ts';
import { TotpFactors } from '../../src/otp/index.ts';
import { Sealer } from '../../src/secrets/index.ts';

let db: MigratedTestDatabase;
let accounts: AccountStore;
let lockout: SignInLockout;
let totp: TotpFactors;
const now = Date.parse('2026-12-02T08:00:15Z');
const clock = { now: () => new Date(now) };
const settings: LockoutSettings = { accountMaxFailures: 5, accountLockSeconds: 900, windowSeconds: 900, identifierIpMaxFailures: 10, ipMaxFailures: 1, ipLockSeconds: 600 };
/** Statements on the tables a sign-in look-up reads. */
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

function keysFor(ip: string) {
  const key = randomBytes(8).toString('hex');
  return { unknown: `identifier:${key}` as ThrottleKey, identifierIp: `identifier-ip:${key}:${ip}` as ThrottleKey, ip: `ip:${ip}` as ThrottleKey };
}

test.serial('one statement finds the account, its failures and locks, and whether it has an authenticator', async (t) => {
  const account = await accounts.create({ type: 'citizen', fullName: 'Lê Văn Cường', nationalId: '046095001234' });
  const { secret } = await totp.beginEnrolment(account.id, 'cuong');
  await totp.confirmEnrolment(account.id, await generate({ secret, epoch: Math.floor(now / 1000) }));
  const keys = keysFor('198.51.100.7');
  const subject = `account:${account.id}` as const;
  await lockout.recordFailure({ subject, identifierIp: keys.identifierIp, ip: keys.ip });

  await asRequest(async () => {
    const before = statements.length;
    const [found] = await accounts.findActiveByIdentifier({ nationalId: '046095001234' }, [keys.unknown, keys.identifierIp, keys.ip]);
    t.is(found?.id, account.id);
    const standing = await lockout.standing([subject, keys.identifierIp, keys.ip], [subject, keys.identifierIp]);
    t.is(standing.lockedUntil?.getTime(), now + 600_000, 'the address reached its limit: locked');
    t.true(standing.failuresRecorded, 'the account has a failure a success would clear');
    t.true(await totp.isEnrolled(account.id));
    t.is(statements.length, before + 1, 'one statement for all three');

    await lockout.recordSuccess([subject, keys.identifierIp]);
    const after = statements.length;
    t.false((await lockout.standing([subject, keys.identifierIp], [subject])).failuresRecorded, 'after a write of counts, read again');
    t.is(statements.length, after + 1);
  });
});

test.serial('an identifier naming no account is judged by its own counts, all read ahead', async (t) => {
  const keys = keysFor('198.51.100.8');
  await asRequest(async () => {
    const before = statements.length;
    t.deepEqual(await accounts.findActiveByIdentifier({ nationalId: '001099009999' }, [keys.unknown, keys.identifierIp, keys.ip]), []);
    t.deepEqual(await lockout.standing([keys.unknown, keys.identifierIp, keys.ip], [keys.unknown, keys.identifierIp]), { lockedUntil: null, failuresRecorded: false });
    t.is(statements.length, before + 1);
  });
});

test.serial('outside a request, or for keys not read ahead, the counts are read from the database', async (t) => {
  const account = await accounts.create({ type: 'citizen', fullName: 'Phạm Thị Dung', nationalId: '046195004321' });
  const keys = keysFor('198.51.100.9');
  const subject = `account:${account.id}` as const;
  await lockout.recordFailure({ subject, identifierIp: keys.identifierIp, ip: keys.ip });
  const before = statements.length;
  t.truthy(await lockout.lockedUntil([keys.ip]));
  t.false(await totp.isEnrolled(account.id));
  t.is(statements.length, before + 2);
  await asRequest(async () => {
    await accounts.findActiveByIdentifier({ nationalId: '046195004321' }, [keys.unknown]);
    t.truthy(await lockout.lockedUntil([keys.ip]), 'a key the look-up was not given is read from the database');
  });
});

test.serial('a lock of the account alone is found by the look-up, and a pending authenticator is not one', async (t) => {
  const account = await accounts.create({ type: 'citizen', fullName: 'Võ Thị Em', nationalId: '046196005678' });
  await totp.beginEnrolment(account.id, 'em');
  const subject = `account:${account.id}` as const;
  const keys = keysFor('198.51.100.10');
  // Five failures from other addresses: the account is locked, this address and identifier are not.
  for (let i = 0; i < 5; i += 1) await lockout.recordFailure({ subject, identifierIp: `identifier-ip:other:10.9.0.${i}`, ip: `ip:10.9.0.${i}` });
  await asRequest(async () => {
    const before = statements.length;
    const [found] = await accounts.findActiveByIdentifier({ nationalId: '046196005678' }, [keys.unknown, keys.identifierIp, keys.ip]);
    t.is(found?.id, account.id);
    const standing = await lockout.standing([subject, keys.identifierIp, keys.ip], [subject, keys.identifierIp]);
    t.is(standing.lockedUntil?.getTime(), now + 900_000);
    t.true(standing.failuresRecorded);
    t.false(await totp.isEnrolled(account.id), 'enrolment begun, never confirmed');
    t.is(statements.length, before + 1);
  });
});

test.serial('a look-up given no failure keys reads the account alone', async (t) => {
  await accounts.create({ type: 'citizen', fullName: 'Đỗ Văn Phúc', nationalId: '046097008765' });
  const [found] = await accounts.findActiveByIdentifier({ nationalId: '046097008765' }, []);
  t.is(found?.fullName, 'Đỗ Văn Phúc');
});

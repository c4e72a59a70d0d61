import test from 'ava';
import { randomBytes, randomUUID } from 'node:crypto';
import { generate } from 'otplib';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../helpers/server.ts';
import { Sealer } from '../../src/secrets/index.ts';
import { TotpFactors, TotpError } from '../../src/otp/index.ts';

let db: MigratedTestDatabase;
let totp: TotpFactors;
// Mid-step, so "one step earlier" and "30 seconds earlier" are not the same boundary case.
let now = Date.parse('2026-11-28T08:00:15Z');
const clock = { now: () => new Date(now) };
const issuer = 'Tỉnh Ninh Thuận';

test.before(async () => {
  db = await openMigratedTestDatabase();
  totp = new TotpFactors({ knex: db.knex, sealer: new Sealer(randomBytes(32)), clock, hashKey: randomBytes(32), issuer });
});
test.after.always(async () => {
  await db?.close();
});

/** What the authenticator app shows `steps` time steps from now. */
function appCode(secret: string, steps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(now / 1000) + steps * 30 });
}

/** A well-formed code that the app could not show now, one step either way. */
async function wrongCode(secret: string): Promise<string> {
  const window = await Promise.all([appCode(secret, -1), appCode(secret), appCode(secret, 1)]);
  return ['000000', '111111', '222222', '333333'].find((code) => !window.includes(code))!;
}

function nextStep() {
  now += 30_000;
}

async function enrolled() {
  const accountId = randomUUID();
  const { secret } = await totp.beginEnrolment(accountId, 'an.nguyen');
  const recoveryCodes = await totp.confirmEnrolment(accountId, await appCode(secret));
  // The confirming code is spent; sign-in happens with the next one.
  nextStep();
  return { accountId, secret, recoveryCodes };
}

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TotpError) return error.code;
    throw error;
  }
  return undefined;
}

test.serial('enrolment gives the secret, an otpauth URL naming issuer and account, and a PNG QR code of it', async (t) => {
  const { secret, otpauthUrl, qrDataUrl } = await totp.beginEnrolment(randomUUID(), 'an.nguyen');
  t.regex(secret, /^[A-Z2-7]{32}$/);
  const url = new URL(otpauthUrl);
  t.is(url.protocol, 'otpauth:');
  t.is(url.host, 'totp');
  t.is(decodeURIComponent(url.pathname), `/${issuer}:an.nguyen`);
  t.is(url.searchParams.get('secret'), secret);
  t.is(url.searchParams.get('issuer'), issuer);
  t.true(qrDataUrl.startsWith('data:image/png;base64,'));
  const png = Buffer.from(qrDataUrl.slice('data:image/png;base64,'.length), 'base64');
  t.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test.serial('a code from the app confirms enrolment and yields 10 distinct recovery codes; neither secret nor codes are stored in clear', async (t) => {
  const accountId = randomUUID();
  const { secret } = await totp.beginEnrolment(accountId, 'an.nguyen');
  t.false(await totp.isEnrolled(accountId));
  const codes = await totp.confirmEnrolment(accountId, await appCode(secret));
  t.true(await totp.isEnrolled(accountId));
  t.is(codes.length, 10);
  t.is(new Set(codes).size, 10);
  for (const code of codes) t.regex(code, /^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);

  const factor = await db.knex('totp_factors').where({ account_id: accountId }).first();
  t.false(JSON.stringify(factor).includes(secret));
  const rows = await db.knex('recovery_codes').where({ account_id: accountId });
  t.is(rows.length, 10);
  const stored = JSON.stringify(rows);
  for (const code of codes) {
    t.false(stored.includes(code));
    t.false(stored.includes(code.replace('-', '')));
  }
});

test.serial('a wrong code neither confirms enrolment nor signs in', async (t) => {
  const accountId = randomUUID();
  const { secret } = await totp.beginEnrolment(accountId, 'an.nguyen');
  t.is(await refusal(totp.confirmEnrolment(accountId, await wrongCode(secret))), 'totp.invalid');
  t.is(await refusal(totp.confirmEnrolment(accountId, 'abcdef')), 'totp.invalid');
  t.false(await totp.isEnrolled(accountId));

  await totp.confirmEnrolment(accountId, await appCode(secret));
  nextStep();
  t.is(await refusal(totp.verify(accountId, await wrongCode(secret))), 'totp.invalid');
});

test.serial('a code is accepted once: the same code again is refused as replayed', async (t) => {
  const { accountId, secret } = await enrolled();
  const code = await appCode(secret);
  await totp.verify(accountId, code);
  t.is(await refusal(totp.verify(accountId, code)), 'totp.replayed');
  nextStep();
  await t.notThrowsAsync(totp.verify(accountId, await appCode(secret)));
});

test.serial('the code that confirmed enrolment cannot be replayed at sign-in', async (t) => {
  const accountId = randomUUID();
  const { secret } = await totp.beginEnrolment(accountId, 'an.nguyen');
  const code = await appCode(secret);
  await totp.confirmEnrolment(accountId, code);
  t.is(await refusal(totp.verify(accountId, code)), 'totp.replayed');
});

test.serial('a code from one step earlier is accepted for clock drift, from two steps earlier refused', async (t) => {
  const { accountId, secret } = await enrolled();
  nextStep();
  nextStep();
  t.is(await refusal(totp.verify(accountId, await appCode(secret, -2))), 'totp.invalid');
  await t.notThrowsAsync(totp.verify(accountId, await appCode(secret, -1)));
  nextStep();
  await t.notThrowsAsync(totp.verify(accountId, await appCode(secret, 1)));
});

test.serial('a code older than one already accepted is refused, even inside the drift window', async (t) => {
  const { accountId, secret } = await enrolled();
  const earlier = await appCode(secret, -1);
  await totp.verify(accountId, await appCode(secret));
  t.is(await refusal(totp.verify(accountId, earlier)), 'totp.replayed');
});

test.serial('each recovery code works once, however it is typed, and the count of unused codes goes down', async (t) => {
  const { accountId, recoveryCodes } = await enrolled();
  const typed = (code: string, i: number) => [code, code.toUpperCase(), ` ${code.replace('-', '')} `, code.replace('-', ' ')][i % 4];
  for (const [i, code] of recoveryCodes.entries()) {
    t.is(await totp.useRecoveryCode(accountId, typed(code, i)), 9 - i);
  }
  t.is(await refusal(totp.useRecoveryCode(accountId, recoveryCodes[0])), 'totp.invalid');
  t.is(await refusal(totp.useRecoveryCode(accountId, 'not-a-code')), 'totp.invalid');
});

test.serial('a recovery code works only for the account it was issued to', async (t) => {
  const first = await enrolled();
  const second = await enrolled();
  t.is(await refusal(totp.useRecoveryCode(second.accountId, first.recoveryCodes[0])), 'totp.invalid');
  t.is(await totp.useRecoveryCode(first.accountId, first.recoveryCodes[0]), 9);
});

test.serial('two nodes checking the same code at once accept it exactly once', async (t) => {
  const { accountId, secret } = await enrolled();
  const code = await appCode(secret);
  const results = await Promise.allSettled([totp.verify(accountId, code), totp.verify(accountId, code), totp.verify(accountId, code)]);
  t.is(results.filter((result) => result.status === 'fulfilled').length, 1);
  for (const result of results) {
    if (result.status === 'rejected') t.is((result.reason as TotpError).code, 'totp.replayed');
  }
});

test.serial('two uses of the same recovery code at once succeed exactly once', async (t) => {
  const { accountId, recoveryCodes } = await enrolled();
  const results = await Promise.allSettled([totp.useRecoveryCode(accountId, recoveryCodes[3]), totp.useRecoveryCode(accountId, recoveryCodes[3])]);
  t.deepEqual(results.map((result) => result.status).sort(), ['fulfilled', 'rejected']);
});

test.serial('an enrolled account cannot start enrolment again; a pending one restarts with a new secret', async (t) => {
  const { accountId } = await enrolled();
  t.is(await refusal(totp.beginEnrolment(accountId, 'an.nguyen')), 'totp.already_enrolled');

  const pending = randomUUID();
  const first = await totp.beginEnrolment(pending, 'an.nguyen');
  const second = await totp.beginEnrolment(pending, 'an.nguyen');
  t.not(first.secret, second.secret);
  const firstCode = await appCode(first.secret);
  // Two secrets give the same code one time in a million; only then is this check moot.
  if (firstCode !== (await appCode(second.secret))) t.is(await refusal(totp.confirmEnrolment(pending, firstCode)), 'totp.invalid');
  await totp.confirmEnrolment(pending, await appCode(second.secret));
  t.is(await refusal(totp.confirmEnrolment(pending, await appCode(second.secret))), 'totp.already_enrolled');
});

test.serial('a pending enrolment does not count: sign-in with it is refused as not enrolled', async (t) => {
  const accountId = randomUUID();
  const { secret } = await totp.beginEnrolment(accountId, 'an.nguyen');
  t.is(await refusal(totp.verify(accountId, await appCode(secret))), 'totp.not_enrolled');
  t.is(await refusal(totp.confirmEnrolment(randomUUID(), '123456')), 'totp.not_enrolled');
});

test.serial('removing the second factor deletes the secret and every recovery code', async (t) => {
  const { accountId, secret, recoveryCodes } = await enrolled();
  await totp.remove(accountId);
  t.false(await totp.isEnrolled(accountId));
  t.is(await refusal(totp.verify(accountId, await appCode(secret))), 'totp.not_enrolled');
  t.is(await refusal(totp.useRecoveryCode(accountId, recoveryCodes[0])), 'totp.invalid');
  t.is(await db.knex('totp_factors').where({ account_id: accountId }).first(), undefined);
  t.deepEqual(await db.knex('recovery_codes').where({ account_id: accountId }), []);
  await t.notThrowsAsync(totp.beginEnrolment(accountId, 'an.nguyen'));
});

test.serial('an enrolment whose event cannot be written is not made: the same code then enrols, with its event', async (t) => {
  const accountId = randomUUID();
  const { secret } = await totp.beginEnrolment(accountId, 'an.nguyen');
  const code = await appCode(secret);
  await t.throwsAsync(totp.confirmEnrolment(accountId, code, async () => {
    throw new Error('the audit event could not be written');
  }));
  t.false(await totp.isEnrolled(accountId), 'not enrolled');
  t.is(Number((await db.knex('recovery_codes').where({ account_id: accountId }).count({ n: '*' }))[0].n), 0, 'no recovery codes');

  let written = false;
  const codes = await totp.confirmEnrolment(accountId, code, async (trx) => {
    written = (await trx('totp_factors').where({ account_id: accountId }).whereNotNull('confirmed_at').first()) !== undefined;
  });
  t.true(written, 'what reports the enrolment sees it in the same transaction');
  t.is(codes.length, 10);
  t.true(await totp.isEnrolled(accountId));
});

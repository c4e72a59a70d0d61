import test from 'ava';
import { randomBytes, randomUUID } from 'node:crypto';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../helpers/server.ts';
import { Sealer } from '../../src/secrets/index.ts';
import { SmsOtp, OtpError, type OtpSettings } from '../../src/otp/index.ts';
import { createLogger } from '../../src/logger.ts';
import { SmsDeliveryError, type SmsMessage, type SmsSender } from '../../src/sms/index.ts';

let db: MigratedTestDatabase;
const logger = createLogger({ logLevel: 'silent' });
let now = Date.parse('2026-11-28T08:00:00Z');
const clock = { now: () => new Date(now) };
const settings: OtpSettings = { ttlSeconds: 300, maxAttempts: 5, resendAfterSeconds: 60, maxPerPhonePerHour: 5, maxPerPhoneAllAddressesPerHour: 10, maxPerIpPerHour: 20 };

/** Records what would go out by SMS; can be told the provider is down. */
class RecordingSender implements SmsSender {
  readonly provider = 'recording';
  readonly sent: SmsMessage[] = [];
  down = false;
  async send(message: SmsMessage) {
    if (this.down) throw new SmsDeliveryError(this.provider, 'provider unavailable');
    this.sent.push(message);
  }
  lastCode(): string {
    return /\b(\d{6})\b/.exec(this.sent.at(-1)!.body)![1];
  }
}

test.before(async () => {
  db = await openMigratedTestDatabase();
});
test.after.always(async () => {
  await db?.close();
});

let phoneSerial = 0;
function setup(overrides: Partial<OtpSettings> = {}) {
  const sms = new RecordingSender();
  const otp = new SmsOtp({ knex: db.knex, sealer: new Sealer(randomBytes(32)), sms, clock, settings: { ...settings, ...overrides }, hashKey: randomBytes(32), logger });
  phoneSerial += 1;
  const phone = `+849${String(phoneSerial).padStart(8, '0')}`;
  return { sms, otp, phone, ip: `10.0.0.${phoneSerial}` };
}

async function sentChallenge(overrides: Partial<OtpSettings> = {}) {
  const context = setup(overrides);
  const subject = randomUUID();
  const challenge = await context.otp.create({ purpose: 'registration', subject, phone: context.phone });
  await context.otp.send(challenge, context.ip);
  return { ...context, challenge: (await context.otp.find(challenge.id))!, subject };
}

test.serial('a 6-digit code is sent to the phone, stored only as a keyed hash, and works once', async (t) => {
  const { sms, otp, challenge, phone } = await sentChallenge();
  t.is(sms.sent.length, 1);
  t.is(sms.sent[0].to, phone);
  const code = sms.lastCode();
  t.regex(code, /^\d{6}$/);
  const row = await db.knex('otp_challenges').where({ id: challenge.id }).first();
  t.false(JSON.stringify(row).includes(code));
  t.false(JSON.stringify(row).includes(phone.slice(3)));
  await otp.verify(challenge, code);
  const again = await t.throwsAsync(otp.verify(challenge, code), { instanceOf: OtpError });
  t.is(again?.code, 'otp.expired');
});

test.serial('a wrong code says how many tries remain; the fifth wrong try kills the challenge, even for the right code', async (t) => {
  const { sms, otp, challenge } = await sentChallenge();
  const right = sms.lastCode();
  const wrong = right === '000000' ? '111111' : '000000';
  for (let remaining = 4; remaining >= 1; remaining -= 1) {
    const error = await t.throwsAsync(otp.verify(challenge, wrong), { instanceOf: OtpError });
    t.deepEqual([error?.code, error?.params.remaining], ['otp.invalid', remaining]);
  }
  t.is((await t.throwsAsync(otp.verify(challenge, wrong), { instanceOf: OtpError }))?.code, 'otp.too_many_attempts');
  t.is((await t.throwsAsync(otp.verify(challenge, right), { instanceOf: OtpError }))?.code, 'otp.too_many_attempts');
});

test.serial('a code past its five minutes is refused as expired', async (t) => {
  const { sms, otp, challenge } = await sentChallenge();
  const code = sms.lastCode();
  now += 301_000;
  t.is((await t.throwsAsync(otp.verify(challenge, code), { instanceOf: OtpError }))?.code, 'otp.expired');
});

test.serial('a code is bound to its purpose and its pending action', async (t) => {
  const { sms, otp, challenge } = await sentChallenge();
  const code = sms.lastCode();
  t.is((await t.throwsAsync(otp.verify({ ...challenge, purpose: 'password_reset' }, code), { instanceOf: OtpError }))?.code, 'otp.expired');
  t.is((await t.throwsAsync(otp.verify({ ...challenge, subject: randomUUID() }, code), { instanceOf: OtpError }))?.code, 'otp.expired');
});

test.serial('a resend before 60 seconds is refused with the wait; after it, a new code replaces the old', async (t) => {
  const { sms, otp, challenge, ip } = await sentChallenge();
  const first = sms.lastCode();
  now += 30_000;
  const early = await t.throwsAsync(otp.send((await otp.find(challenge.id))!, ip), { instanceOf: OtpError });
  t.deepEqual([early?.code, early?.params.seconds], ['otp.resend_too_soon', 30]);
  now += 31_000;
  await otp.send((await otp.find(challenge.id))!, ip);
  const second = sms.lastCode();
  t.is(sms.sent.length, 2);
  if (first !== second) t.is((await t.throwsAsync(otp.verify(challenge, first), { instanceOf: OtpError }))?.code, 'otp.invalid');
  await t.notThrowsAsync(otp.verify(challenge, second));
});

test.serial('at most 5 SMS per phone per hour, across challenges; the limit lifts after the hour', async (t) => {
  const { sms, otp, phone, ip } = setup({ resendAfterSeconds: 0 });
  for (let i = 0; i < 5; i += 1) {
    await otp.send(await otp.create({ purpose: 'registration', subject: randomUUID(), phone }), ip);
  }
  const sixth = await otp.create({ purpose: 'registration', subject: randomUUID(), phone });
  t.is((await t.throwsAsync(otp.send(sixth, ip), { instanceOf: OtpError }))?.code, 'otp.rate_limited');
  t.is(sms.sent.length, 5);
  now += 3601_000;
  await t.notThrowsAsync(otp.send((await otp.find(sixth.id))!, ip));
});

test.serial('at most 20 SMS per IP address per hour, whatever the phones', async (t) => {
  const { otp, ip } = setup({ resendAfterSeconds: 0, maxPerIpPerHour: 3 });
  for (let i = 0; i < 3; i += 1) {
    await otp.send(await otp.create({ purpose: 'registration', subject: randomUUID(), phone: `+8470000000${i}` }), ip);
  }
  const next = await otp.create({ purpose: 'registration', subject: randomUUID(), phone: '+84700000009' });
  t.is((await t.throwsAsync(otp.send(next, ip), { instanceOf: OtpError }))?.code, 'otp.rate_limited');
});

test.serial('parallel requests cannot together exceed the per-phone limit', async (t) => {
  const { sms, otp, phone, ip } = setup({ resendAfterSeconds: 0, maxPerPhonePerHour: 3 });
  const challenges = await Promise.all(Array.from({ length: 8 }, () => otp.create({ purpose: 'registration', subject: randomUUID(), phone })));
  const results = await Promise.allSettled(challenges.map((challenge) => otp.send(challenge, ip)));
  t.is(results.filter((result) => result.status === 'fulfilled').length, 3);
  t.is(sms.sent.length, 3);
});

test.serial('when the SMS provider fails, nothing is counted and the code can be sent again at once', async (t) => {
  const { sms, otp, phone, ip } = setup();
  const challenge = await otp.create({ purpose: 'registration', subject: randomUUID(), phone });
  sms.down = true;
  await t.throwsAsync(otp.send(challenge, ip), { instanceOf: SmsDeliveryError });
  t.is(Number((await db.knex('sms_sends').where({ ip }).count({ n: '*' }))[0].n), 0);
  sms.down = false;
  await otp.send((await otp.find(challenge.id))!, ip);
  await t.notThrowsAsync(otp.verify(challenge, sms.lastCode()));
});

test.serial('two simultaneous right answers: one succeeds', async (t) => {
  const { sms, otp, challenge } = await sentChallenge();
  const code = sms.lastCode();
  const results = await Promise.allSettled([otp.verify(challenge, code), otp.verify(challenge, code)]);
  t.is(results.filter((result) => result.status === 'fulfilled').length, 1);
});

test.serial('thirty tries at once check no more codes than the five tries allowed', async (t) => {
  const { sms, otp, challenge } = await sentChallenge();
  const right = sms.lastCode();
  const wrong = (i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
  const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => otp.verify(challenge, wrong(i))));
  const codes = results.map((result) => (result.status === 'rejected' ? (result.reason as OtpError).code : 'accepted'));
  t.is(codes.filter((code) => code === 'otp.invalid').length, 4, 'four wrong codes are told how many tries remain');
  t.is(codes.filter((code) => code === 'otp.too_many_attempts').length, 26, 'the fifth and every later try: no tries left');
  const refused = await t.throwsAsync(otp.verify(challenge, right), { instanceOf: OtpError });
  t.is(refused?.code, 'otp.too_many_attempts', 'the right code after them is refused too');
});

test.serial('a decoy challenge looks sent, and answers every code like a real challenge answers a wrong one', async (t) => {
  const { sms, otp, ip } = setup();
  const decoy = await otp.createDecoy('password_reset', '001099000999');
  await otp.send(decoy, ip);
  t.is(sms.sent.length, 0);
  // It answers like a real challenge with a wrong code, so it tells nothing.
  for (const [code, remaining] of [['000000', 4], ['123456', 3], ['999999', 2]] as const) {
    const error = await t.throwsAsync(otp.verify(decoy, code), { instanceOf: OtpError });
    t.deepEqual([error?.code, error?.params.remaining], ['otp.invalid', remaining]);
  }
});

test.serial('parallel requests from one address to many phones cannot together exceed the per-address limit', async (t) => {
  const { sms, otp, ip } = setup({ resendAfterSeconds: 0, maxPerIpPerHour: 3 });
  const challenges = await Promise.all(Array.from({ length: 8 }, (_, i) => otp.create({ purpose: 'registration', subject: randomUUID(), phone: `+8471000000${i}` })));
  const results = await Promise.allSettled(challenges.map((challenge) => otp.send(challenge, ip)));
  t.is(results.filter((result) => result.status === 'fulfilled').length, 3);
  t.is(sms.sent.length, 3);
});

test.serial('each purpose has its own per-phone limit; from many addresses a phone gets at most 10 codes of one purpose an hour', async (t) => {
  const { sms, otp, phone } = setup({ resendAfterSeconds: 0 });
  const send = (purpose: 'registration' | 'sign_in', ip: string) => otp.create({ purpose, subject: randomUUID(), phone }).then((challenge) => otp.send(challenge, ip));
  for (let i = 0; i < 5; i += 1) await send('registration', '10.1.0.1');
  await t.throwsAsync(send('registration', '10.1.0.1'), { instanceOf: OtpError, message: 'otp.rate_limited' });
  await t.notThrowsAsync(send('sign_in', '10.1.0.1'), 'sign-in codes are counted apart');
  for (let i = 0; i < 5; i += 1) await send('registration', '10.1.0.2');
  await t.throwsAsync(send('registration', '10.1.0.3'), { instanceOf: OtpError, message: 'otp.rate_limited' });
  t.is(sms.sent.filter((message) => message.body.includes('dang ky')).length, 10);
});

import test from 'ava';
import { inspect } from 'node:util';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio.ts';
import { parseSmsConfig, type SmsConfig } from '../../src/sms/config.ts';
import { SmsDeliveryError } from '../../src/sms/index.ts';
import { TwilioSmsSender } from '../../src/sms/twilio-sender.ts';

const message = { to: '+84912345678', body: 'Mã xác thực: 493817. Không chia sẻ mã này với ai.' };

function twilioConfig(fake: FakeTwilio, overrides: Record<string, string> = {}): SmsConfig {
  return parseSmsConfig(
    {
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: fake.url,
      ...overrides,
    },
    'var',
  );
}

function sender(config: SmsConfig, timeoutMs?: number): TwilioSmsSender {
  if (config.provider !== 'twilio') throw new Error('expected a Twilio configuration');
  return new TwilioSmsSender(config, timeoutMs);
}

// Neither the one-time code nor the number may reach a log line, not even through a
// nested property of the error.
function assertNothingLeaks(t: { false(value: boolean, message?: string): void }, error: SmsDeliveryError, ...secrets: string[]) {
  const everything = `${error.message} ${error.reason} ${inspect(error, { depth: 10, showHidden: true })}`;
  for (const secret of secrets) t.false(everything.includes(secret), `the error mentions ${secret}`);
}

test('the real SDK delivers To, From and Body to the account, authenticated', async (t) => {
  const fake = await startFakeTwilio();
  t.teardown(() => fake.close());
  await sender(twilioConfig(fake)).send(message);
  t.deepEqual(fake.messages, [{ accountSid: fake.accountSid, to: message.to, from: '+15005550006', messagingServiceSid: undefined, body: message.body }]);
});

test('a Messaging Service SID is sent instead of From', async (t) => {
  const fake = await startFakeTwilio();
  t.teardown(() => fake.close());
  const messagingServiceSid = `MG${'0123456789abcdef'.repeat(2)}`;
  await sender(twilioConfig(fake, { TWILIO_FROM: '', TWILIO_MESSAGING_SERVICE_SID: messagingServiceSid })).send(message);
  t.is(fake.messages.length, 1);
  t.is(fake.messages[0].messagingServiceSid, messagingServiceSid);
  t.is(fake.messages[0].from, undefined);
});

test('an alphanumeric sender ID is sent as From', async (t) => {
  const fake = await startFakeTwilio();
  t.teardown(() => fake.close());
  await sender(twilioConfig(fake, { TWILIO_FROM: 'HueS' })).send(message);
  t.is(fake.messages[0].from, 'HueS');
});

test.serial('TWILIO_EDGE and TWILIO_REGION in the process environment do not move the API host', async (t) => {
  const fake = await startFakeTwilio();
  t.teardown(() => fake.close());
  // The SDK reads these when its client is made, which happens once its module is loaded:
  // they stay set until the message is sent.
  process.env.TWILIO_EDGE = 'sydney';
  process.env.TWILIO_REGION = 'au1';
  try {
    await sender(twilioConfig(fake)).send(message);
  } finally {
    delete process.env.TWILIO_EDGE;
    delete process.env.TWILIO_REGION;
  }
  t.is(fake.messages.length, 1);
});

test('a wrong auth token is a delivery error naming Twilio error 20003, without the token', async (t) => {
  const fake = await startFakeTwilio();
  t.teardown(() => fake.close());
  const wrongToken = 'f'.repeat(32);
  const error = await t.throwsAsync(sender(twilioConfig(fake, { TWILIO_AUTH_TOKEN: wrongToken })).send(message), { instanceOf: SmsDeliveryError });
  t.is(error.provider, 'twilio');
  t.is(error.reason, 'Twilio error 20003 (HTTP 401)');
  assertNothingLeaks(t, error, wrongToken, message.body);
  t.is(fake.messages.length, 0);
});

test('a number Twilio refuses (400, error 21211) is a delivery error without the body or the number', async (t) => {
  const fake = await startFakeTwilio();
  t.teardown(() => fake.close());
  fake.failWith('invalid-to');
  const error = await t.throwsAsync(sender(twilioConfig(fake)).send(message), { instanceOf: SmsDeliveryError });
  t.is(error.reason, 'Twilio error 21211 (HTTP 400)');
  assertNothingLeaks(t, error, message.body, '493817', message.to, fake.authToken);
});

for (const [failure, reason] of [
  ['internal-error', 'Twilio error 20500 (HTTP 500)'],
  ['unavailable', 'Twilio error 20503 (HTTP 503)'],
] as const) {
  test(`Twilio failing with ${failure} is a delivery error without the body`, async (t) => {
    const fake = await startFakeTwilio();
    t.teardown(() => fake.close());
    fake.failWith(failure);
    const error = await t.throwsAsync(sender(twilioConfig(fake)).send(message), { instanceOf: SmsDeliveryError });
    t.is(error.reason, reason);
    assertNothingLeaks(t, error, message.body, '493817', fake.authToken);
  });
}

test('a Twilio that never answers fails the send after the request timeout', async (t) => {
  const fake = await startFakeTwilio();
  t.teardown(() => fake.close());
  fake.failWith('hang');
  const started = Date.now();
  const error = await t.throwsAsync(sender(twilioConfig(fake), 300).send(message), { instanceOf: SmsDeliveryError });
  t.is(error.reason, 'no answer within 300 ms');
  t.true(Date.now() - started < 5000);
  assertNothingLeaks(t, error, message.body, fake.authToken);
});

test('an unreachable Twilio is a delivery error naming the network failure', async (t) => {
  const fake = await startFakeTwilio();
  const config = twilioConfig(fake);
  await fake.close();
  const error = await t.throwsAsync(sender(config).send(message), { instanceOf: SmsDeliveryError });
  t.is(error.reason, 'Twilio unreachable (ECONNREFUSED)');
});

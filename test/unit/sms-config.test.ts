import test from 'ava';
import { ConfigError } from '../../src/config.ts';
import { parseSmsConfig } from '../../src/sms/config.ts';

const sid = `AC${'0123456789abcdef'.repeat(2)}`;
const token = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const service = `MG${'fedcba9876543210'.repeat(2)}`;
const twilio = { SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token, TWILIO_FROM: '+15005550006' };
const http = { SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://sms.example.vn/api/send' };

test('by default messages go to sms-outbox.jsonl in the data directory', (t) => {
  t.deepEqual(parseSmsConfig({}, 'var'), { provider: 'console', outboxPath: 'var/sms-outbox.jsonl' });
  t.deepEqual(parseSmsConfig({ SMS_PROVIDER: '' }, '/srv/xacthuc'), { provider: 'console', outboxPath: '/srv/xacthuc/sms-outbox.jsonl' });
});

test('SMS_OUTBOX moves the outbox', (t) => {
  t.deepEqual(parseSmsConfig({ SMS_PROVIDER: 'console', SMS_OUTBOX: '/tmp/outbox.jsonl' }, 'var'), { provider: 'console', outboxPath: '/tmp/outbox.jsonl' });
});

test('Twilio with a sending number talks to api.twilio.com', (t) => {
  t.deepEqual(parseSmsConfig(twilio, 'var'), {
    provider: 'twilio',
    accountSid: sid,
    authToken: token,
    sender: { from: '+15005550006' },
    apiBaseUrl: 'https://api.twilio.com',
  });
});

test('Twilio accepts an alphanumeric sender ID, a Messaging Service, and another API base URL', (t) => {
  t.like(parseSmsConfig({ ...twilio, TWILIO_FROM: 'HUE S 2026' }, 'var'), { sender: { from: 'HUE S 2026' } });
  t.like(parseSmsConfig({ ...twilio, TWILIO_FROM: '', TWILIO_MESSAGING_SERVICE_SID: service }, 'var'), { sender: { messagingServiceSid: service } });
  t.like(parseSmsConfig({ ...twilio, TWILIO_API_BASE_URL: 'https://api.singapore.us1.twilio.com/' }, 'var'), { apiBaseUrl: 'https://api.singapore.us1.twilio.com' });
  t.like(parseSmsConfig({ ...twilio, TWILIO_API_BASE_URL: 'http://localhost:4010' }, 'var'), { apiBaseUrl: 'http://localhost:4010' });
});

test('an HTTP gateway defaults to the {"to","message"} template and no auth header', (t) => {
  t.deepEqual(parseSmsConfig(http, 'var'), {
    provider: 'http',
    url: 'https://sms.example.vn/api/send',
    authHeader: undefined,
    bodyTemplate: '{"to":"{{to}}","message":"{{body}}"}',
  });
});

test('an HTTP gateway auth header is split into name and value', (t) => {
  t.like(parseSmsConfig({ ...http, SMS_HTTP_AUTH_HEADER: 'Authorization: Bearer xyz' }, 'var'), { authHeader: { name: 'Authorization', value: 'Bearer xyz' } });
  t.like(parseSmsConfig({ ...http, SMS_HTTP_AUTH_HEADER: 'X-Api-Key:abc:def' }, 'var'), { authHeader: { name: 'X-Api-Key', value: 'abc:def' } });
});

test('a template with placeholders inside nested strings is accepted', (t) => {
  const template = '{"ApiKey":"k","Phone":"{{to_national}}","Content":"Mã: {{body}}","Meta":{"to":"{{to}}"}}';
  t.like(parseSmsConfig({ ...http, SMS_HTTP_BODY_TEMPLATE: template }, 'var'), { bodyTemplate: template });
});

const refusals: Array<[string, Record<string, string>, RegExp]> = [
  ['an unknown provider', { SMS_PROVIDER: 'viettel' }, /^SMS_PROVIDER: must be console, twilio or http$/],
  ['Twilio without an account SID', { ...twilio, TWILIO_ACCOUNT_SID: '' }, /^TWILIO_ACCOUNT_SID: is required when SMS_PROVIDER=twilio$/],
  ['Twilio with an API key SID for the account', { ...twilio, TWILIO_ACCOUNT_SID: `SK${'0'.repeat(32)}` }, /^TWILIO_ACCOUNT_SID: .*AC/],
  ['Twilio with a short account SID', { ...twilio, TWILIO_ACCOUNT_SID: 'AC1234' }, /^TWILIO_ACCOUNT_SID: /],
  ['Twilio without an auth token', { ...twilio, TWILIO_AUTH_TOKEN: '' }, /^TWILIO_AUTH_TOKEN: is required when SMS_PROVIDER=twilio$/],
  ['Twilio without a sender', { ...twilio, TWILIO_FROM: '' }, /^TWILIO_FROM: is required .*TWILIO_MESSAGING_SERVICE_SID/],
  ['Twilio with both a number and a Messaging Service', { ...twilio, TWILIO_MESSAGING_SERVICE_SID: service }, /^TWILIO_FROM: .*not both/],
  ['a sending number without the +', { ...twilio, TWILIO_FROM: '0912345678' }, /^TWILIO_FROM: /],
  ['a sender ID longer than 11 characters', { ...twilio, TWILIO_FROM: 'HUE-S-CITIZEN' }, /^TWILIO_FROM: /],
  ['a sender ID with punctuation', { ...twilio, TWILIO_FROM: 'Hue-S' }, /^TWILIO_FROM: /],
  ['a malformed Messaging Service SID', { ...twilio, TWILIO_FROM: '', TWILIO_MESSAGING_SERVICE_SID: 'MG123' }, /^TWILIO_MESSAGING_SERVICE_SID: /],
  ['a Twilio API base URL that is not a URL', { ...twilio, TWILIO_API_BASE_URL: 'api.twilio.com' }, /^TWILIO_API_BASE_URL: is not a URL$/],
  ['a Twilio API base URL over plain http elsewhere than localhost', { ...twilio, TWILIO_API_BASE_URL: 'http://proxy.internal' }, /^TWILIO_API_BASE_URL: .*https/],
  ['a Twilio API base URL with a query', { ...twilio, TWILIO_API_BASE_URL: 'https://proxy.example.vn/?x=1' }, /^TWILIO_API_BASE_URL: .*query/],
  ['an HTTP gateway without a URL', { SMS_PROVIDER: 'http' }, /^SMS_HTTP_URL: is required when SMS_PROVIDER=http$/],
  ['an HTTP gateway over plain http elsewhere than localhost', { ...http, SMS_HTTP_URL: 'http://sms.example.vn/send' }, /^SMS_HTTP_URL: .*https/],
  ['an HTTP gateway URL with credentials in it', { ...http, SMS_HTTP_URL: 'https://user:pass@sms.example.vn/send' }, /^SMS_HTTP_URL: .*credentials/],
  ['an auth header without a colon', { ...http, SMS_HTTP_AUTH_HEADER: 'Bearer xyz' }, /^SMS_HTTP_AUTH_HEADER: /],
  ['an auth header with an empty value', { ...http, SMS_HTTP_AUTH_HEADER: 'Authorization:' }, /^SMS_HTTP_AUTH_HEADER: /],
  ['an auth header name with a space', { ...http, SMS_HTTP_AUTH_HEADER: 'Api Key: xyz' }, /^SMS_HTTP_AUTH_HEADER: /],
  ['an auth header smuggling a second line', { ...http, SMS_HTTP_AUTH_HEADER: 'Authorization: Bearer xyz\r\nX-Evil: 1' }, /^SMS_HTTP_AUTH_HEADER: .*single line/],
  ['a template that is not JSON', { ...http, SMS_HTTP_BODY_TEMPLATE: 'to={{to}}&msg={{body}}' }, /^SMS_HTTP_BODY_TEMPLATE: .*JSON/],
  ['a template with a placeholder outside a string', { ...http, SMS_HTTP_BODY_TEMPLATE: '{"to":"{{to}}","message":{{body}}}' }, /^SMS_HTTP_BODY_TEMPLATE: .*JSON/],
  ['a template whose number placeholder is unquoted', { ...http, SMS_HTTP_BODY_TEMPLATE: '{"to":{{to_national}},"message":"{{body}}"}' }, /^SMS_HTTP_BODY_TEMPLATE: .*JSON/],
  ['a template with an unknown placeholder', { ...http, SMS_HTTP_BODY_TEMPLATE: '{"to":"{{to}}","message":"{{body}}","otp":"{{code}}"}' }, /^SMS_HTTP_BODY_TEMPLATE: unknown placeholder \{\{code\}\}/],
  ['a template without the body', { ...http, SMS_HTTP_BODY_TEMPLATE: '{"to":"{{to}}"}' }, /^SMS_HTTP_BODY_TEMPLATE: must contain \{\{body\}\}$/],
  ['a template without the recipient', { ...http, SMS_HTTP_BODY_TEMPLATE: '{"message":"{{body}}"}' }, /^SMS_HTTP_BODY_TEMPLATE: must contain \{\{to\}\} or \{\{to_national\}\}$/],
];

for (const [what, env, message] of refusals) {
  test(`refuses ${what}, naming the variable in one line`, (t) => {
    const error = t.throws(() => parseSmsConfig(env, 'var'), { instanceOf: ConfigError });
    t.regex(error!.message, message);
    t.false(error!.message.includes('\n'));
  });
}

test('refusals never repeat a secret value', (t) => {
  for (const env of [
    { ...http, SMS_HTTP_AUTH_HEADER: 'Authorization: Bearer s3cret\nX: y' },
    { ...http, SMS_HTTP_URL: 'https://user:s3cret@sms.example.vn/send' },
    { ...http, SMS_HTTP_URL: 'not a url?apikey=s3cret' },
    { ...twilio, TWILIO_AUTH_TOKEN: 's3cret', TWILIO_FROM: '' },
  ]) {
    const error = t.throws(() => parseSmsConfig(env, 'var'), { instanceOf: ConfigError });
    t.false(error!.message.includes('s3cret'));
  }
});

test('settings of providers not chosen are ignored', (t) => {
  t.is(parseSmsConfig({ SMS_PROVIDER: 'console', TWILIO_ACCOUNT_SID: 'nonsense', SMS_HTTP_URL: 'ftp://x' }, 'var').provider, 'console');
});

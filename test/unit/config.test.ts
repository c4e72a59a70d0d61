import test from 'ava';
import { ConfigError, loadConfig } from '../../src/config.ts';

const key = 'a'.repeat(64);
const gateway = { SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://sms.example.vn/send' };

test('defaults run a development server on port 3000 with the embedded database', (t) => {
  const config = loadConfig({});
  t.is(config.port, 3000);
  t.is(config.issuer, 'http://localhost:3000');
  t.is(config.databaseUrl, undefined);
  t.is(config.dataDir, 'var');
  t.deepEqual(config.argon2, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
  t.is(config.host, undefined, 'every interface, as before HOST existed');
  t.deepEqual(config.requestScope, { deferWrites: true, readAhead: true }, 'deferred writes and rows read ahead are on');
});

test('deferred writes and rows read ahead can each be turned off, to measure what they pay', (t) => {
  t.deepEqual(loadConfig({ DEFER_WRITES: 'false' }).requestScope, { deferWrites: false, readAhead: true });
  t.deepEqual(loadConfig({ READ_AHEAD: '0' }).requestScope, { deferWrites: true, readAhead: false });
  t.throws(() => loadConfig({ READ_AHEAD: 'sometimes' }), { instanceOf: ConfigError, message: /^READ_AHEAD: / });
});

const refusals: Array<[string, Record<string, string>, RegExp]> = [
  ['an issuer that is not a URL', { ISSUER: 'not-a-url' }, /^ISSUER: /],
  ['an issuer with a query', { ISSUER: 'https://sso.example.vn/?a=1' }, /^ISSUER: .*query/],
  ['a port that is not a number', { PORT: 'abc' }, /^PORT: /],
  ['a port out of range', { PORT: '70000' }, /^PORT: /],
  ['a secret key of the wrong length', { SECRET_KEY: 'abcd' }, /^SECRET_KEY: /],
  ['a database URL of another kind', { DATABASE_URL: 'mysql://x@y/z' }, /^DATABASE_URL: /],
  ['an unknown NODE_ENV', { NODE_ENV: 'staging' }, /^NODE_ENV: /],
  ['argon2 memory below the floor', { ARGON2_MEMORY_KIB: '1024' }, /^ARGON2_MEMORY_KIB: /],
  ['a province colour that is not a colour', { PROVINCE_COLOR: 'red; x' }, /^PROVINCE_COLOR: /],
  ['production over plain http', { NODE_ENV: 'production', SECRET_KEY: key, ISSUER: 'http://sso.example.vn', ...gateway }, /^ISSUER: .*https/],
  ['production without a secret key', { NODE_ENV: 'production', ISSUER: 'https://sso.example.vn', ...gateway }, /^SECRET_KEY: .*required/],
  ['a listen address that is neither an address nor a host name', { HOST: '0.0.0.0:3000' }, /^HOST: /],
  ['a metrics token too short to be a secret', { METRICS_TOKEN: 'metrics' }, /^METRICS_TOKEN: /],
  ['production with SMS written to a file', { NODE_ENV: 'production', ISSUER: 'https://sso.example.vn', SECRET_KEY: key }, /^SMS_PROVIDER: /],
];

for (const [what, env, message] of refusals) {
  test(`refuses to start with ${what}, naming the variable in one line`, (t) => {
    const error = t.throws(() => loadConfig(env), { instanceOf: ConfigError });
    t.regex(error!.message, message);
    t.false(error!.message.includes('\n'));
  });
}

test('production accepts https and a configured secret key', (t) => {
  const config = loadConfig({ NODE_ENV: 'production', ISSUER: 'https://sso.hue.gov.vn/', SECRET_KEY: key, ...gateway });
  t.is(config.issuer, 'https://sso.hue.gov.vn');
  t.is(config.secretKey!.length, 32);
});

test('production on localhost over http is allowed for a local trial', (t) => {
  t.notThrows(() => loadConfig({ NODE_ENV: 'production', ISSUER: 'http://localhost:3000', SECRET_KEY: key, ...gateway }));
});

test('/metrics is open in development, closed in production, and behind its token when METRICS_TOKEN is set', (t) => {
  const token = 'b'.repeat(64);
  t.is(loadConfig({}).metricsAccess, 'open');
  t.is(loadConfig({ NODE_ENV: 'production', ISSUER: 'https://sso.hue.gov.vn', SECRET_KEY: key, ...gateway }).metricsAccess, 'closed');
  t.deepEqual(loadConfig({ NODE_ENV: 'production', ISSUER: 'https://sso.hue.gov.vn', SECRET_KEY: key, METRICS_TOKEN: token, ...gateway }).metricsAccess, { token });
});

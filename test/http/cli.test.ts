import test from 'ava';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, startTestServer, type TestDatabase } from '../helpers/server.ts';
import { operatorCli } from '../helpers/cli.ts';
import { Sealer } from '../../src/secrets/index.ts';
import { identifierThrottleKeys } from '../../src/accounts/sign-in.ts';

let database: TestDatabase;
let env: Record<string, string>;

test.before(async () => {
  // Empty: the first command run is `migrate`.
  database = await createTestDatabase({ migrated: false });
  env = { ...(process.env as Record<string, string>), ...database.env, SECRET_KEY: randomBytes(32).toString('hex'), NODE_ENV: 'test', ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1' };
});
test.after.always(async () => {
  await database?.drop();
});

const cli = operatorCli(() => env);
const xacthuc = cli.run;
const xacthucWithInput = cli.withInput;
const xacthucProcess = cli.process;
const withDatabase = cli.withDatabase;

test.serial('--help lists every command', async (t) => {
  const { code, stdout } = await xacthucProcess('--help');
  t.is(code, 0);
  for (const command of ['migrate', 'client:create', 'client:grant-admin', 'account:create', 'admin:create', 'account:unlock', 'account:require-password-change', 'keys:rotate']) t.true(stdout.includes(command));
});

test.serial('migrate applies the migrations, and a second run has nothing to do', async (t) => {
  const first = await xacthuc('migrate');
  t.is(first.code, 0, first.stderr);
  t.true(JSON.parse(first.stdout).applied.length > 0);
  const second = await xacthuc('migrate');
  t.deepEqual(JSON.parse(second.stdout).applied, []);
});

test.serial('client:create prints the client in RFC 7591 form with its secret once, stored encrypted', async (t) => {
  const { code, stdout, stderr } = await xacthuc(
    'client:create', '--name', 'Hue-S', '--redirect-uri', 'https://hues.vn/cb', '--post-logout-redirect-uri', 'https://hues.vn/bye',
    '--backchannel-logout-uri', 'https://hues.vn/backchannel', '--scope', 'openid profile phone', '--purpose', 'Cung cấp dịch vụ công trực tuyến',
  );
  t.is(code, 0, stderr);
  const client = JSON.parse(stdout);
  t.is(client.client_name, 'Hue-S');
  t.deepEqual(client.redirect_uris, ['https://hues.vn/cb']);
  t.is(client.token_endpoint_auth_method, 'client_secret_basic');
  t.is(typeof client.client_secret, 'string');
  t.true(client.client_secret.length >= 43);
  t.is(typeof client.client_id_issued_at, 'number');
  const row = await withDatabase((knex) => knex('clients').where({ client_id: client.client_id }).first());
  t.false(JSON.stringify(row).includes(client.client_secret), 'the secret is not stored in clear');
});

test.serial('client:grant-admin gives a service client exactly the admin functions named, and refuses an app people sign in to', async (t) => {
  const service = JSON.parse((await xacthuc('client:create', '--name', 'Đồng bộ nhân sự', '--grant-type', 'client_credentials')).stdout);
  const granted = await xacthuc('client:grant-admin', '--client-id', service.client_id, '--function', 'accounts.read', '--function', 'audit.read');
  t.is(granted.code, 0, granted.stderr);
  t.deepEqual(JSON.parse(granted.stdout).functions, ['accounts.read', 'audit.read']);
  const narrowed = await xacthuc('client:grant-admin', '--client-id', service.client_id, '--function', 'audit.read');
  t.deepEqual(JSON.parse(narrowed.stdout).functions, ['audit.read'], 'the list replaces what was granted');
  const scope = await withDatabase(async (knex) => (await knex('clients').where({ client_id: service.client_id }).first()).metadata.scope);
  t.true(scope.split(' ').includes('admin:audit.read'));
  t.false(scope.split(' ').includes('admin:accounts.read'));

  const app = JSON.parse((await xacthuc('client:create', '--name', 'Cổng dịch vụ công', '--redirect-uri', 'https://dichvucong.hue.gov.vn/cb', '--purpose', 'Giải quyết thủ tục hành chính trực tuyến')).stdout);
  for (const args of [
    ['--client-id', app.client_id, '--function', 'accounts.read'],
    ['--client-id', service.client_id, '--function', 'root'],
    ['--client-id', 'xt_khong_co', '--function', 'audit.read'],
    ['--function', 'audit.read'],
  ]) {
    const refused = await xacthuc('client:grant-admin', ...args);
    t.is(refused.code, 64, args.join(' '));
    t.is(refused.stderr.trim().split('\n').length, 1, 'one line says why');
  }
  const events = await withDatabase((knex) => knex('audit_events').where({ type: 'admin.client.admin_functions_granted', client_id: service.client_id }));
  t.is(events.length, 2);
  t.is(events[0].details.via, 'cli');
});

test.serial('client:create refuses invalid metadata with a clear message and stores nothing', async (t) => {
  const before = await withDatabase(async (knex) => Number((await knex('clients').count({ n: '*' }))[0].n));
  for (const args of [
    ['--name', 'x', '--redirect-uri', 'not a url'],
    ['--name', 'x', '--redirect-uri', 'https://a.vn/cb#fragment'],
    ['--name', 'x', '--redirect-uri', 'https://a.vn/cb', '--auth-method', 'magic'],
    ['--redirect-uri', 'https://a.vn/cb'],
  ]) {
    const { code, stderr } = await xacthuc('client:create', ...args);
    t.is(code, 64, args.join(' '));
    t.regex(stderr, /^xacthuc: /);
    t.is(stderr.trim().split('\n').length, 1);
  }
  const after = await withDatabase(async (knex) => Number((await knex('clients').count({ n: '*' }))[0].n));
  t.is(after, before);
});

// The other URI fields and every rule are tabled in test/unit/client-metadata.test.ts.
test.serial('client:create refuses what the security review registered, in one line naming the option, and stores nothing', async (t) => {
  const before = await withDatabase(async (knex) => Number((await knex('clients').count({ n: '*' }))[0].n));
  for (const [option, args] of [
    ['--redirect-uri', ['--name', 'Cổng A', '--redirect-uri', 'http://evil.example/cb']],
    ['--redirect-uri', ['--name', 'Cổng A', '--redirect-uri', 'https://*.example.com/cb']],
    ['--redirect-uri', ['--name', 'Cổng A', '--redirect-uri', 'https://user:pw@hues.vn/cb']],
    ['--name', ['--name', 'Cổng A\u001b[2J', '--redirect-uri', 'https://hues.vn/cb']],
    ['--scope', ['--name', 'Cổng A', '--redirect-uri', 'https://hues.vn/cb', '--scope', 'openid everything']],
  ] as const) {
    const { code, stdout, stderr } = await xacthuc('client:create', ...args);
    t.is(code, 64, args.join(' '));
    t.true(stderr.startsWith(`xacthuc: ${option} `), stderr);
    t.is(stderr.trim().split('\n').length, 1);
    t.false(stderr.includes('\u001b'), 'a control character is escaped, not written to the terminal');
    t.is(stdout, '');
  }
  const after = await withDatabase(async (knex) => Number((await knex('clients').count({ n: '*' }))[0].n));
  t.is(after, before);
});

test.serial('client:create without --scope allows openid, profile and offline_access; a native app registers its own scheme', async (t) => {
  const web = await xacthuc('client:create', '--name', 'Cổng dịch vụ công', '--redirect-uri', 'https://dichvucong.hue.gov.vn/cb', '--purpose', 'Nộp hồ sơ trực tuyến');
  t.is(web.code, 0, web.stderr);
  t.is(JSON.parse(web.stdout).scope, 'openid profile offline_access');
  const native = await xacthuc(
    'client:create', '--name', 'Hue-S', '--application-type', 'native', '--auth-method', 'none',
    '--redirect-uri', 'vn.gov.hue.hues:/oauth2redirect', '--redirect-uri', 'http://127.0.0.1:51004/cb', '--scope', 'openid profile phone national_id offline_access',
    '--purpose', 'Ứng dụng công dân số của tỉnh',
    // Two hosts (its own scheme has none, the loopback one has 127.0.0.1): one pairwise sector
    // would need a sector_identifier_uri.
    '--subject-type', 'public', '--public-subject-reason', 'Ứng dụng công dân của tỉnh: một mã người dùng cho mọi dịch vụ của tỉnh',
  );
  t.is(native.code, 0, native.stderr);
  const client = JSON.parse(native.stdout);
  t.deepEqual(client.redirect_uris, ['vn.gov.hue.hues:/oauth2redirect', 'http://127.0.0.1:51004/cb']);
  t.is(client.scope, 'openid offline_access profile phone national_id');
  t.is(client.subject_type, 'public');
  const own = await xacthuc('client:create', '--name', 'Hue-S', '--application-type', 'native', '--auth-method', 'none', '--redirect-uri', 'vn.gov.hue.hues:/oauth2redirect', '--purpose', 'Ứng dụng công dân số của tỉnh');
  t.is(own.code, 0, own.stderr);
  t.is(JSON.parse(own.stdout).subject_type, 'pairwise', 'its own scheme alone is one sector');
});

test.serial('client:create names the operating agency added by agency:create, and refuses one it does not know', async (t) => {
  const agency = await xacthuc('agency:create', '--name', ' Sở Y tế tỉnh Thừa Thiên Huế '.normalize('NFD'));
  t.is(agency.code, 0, agency.stderr);
  const created = JSON.parse(agency.stdout);
  t.is(created.name, 'Sở Y tế tỉnh Thừa Thiên Huế', 'stored in NFC, trimmed');
  const again = await xacthuc('agency:create', '--name', 'Sở Y tế tỉnh Thừa Thiên Huế');
  t.is(again.code, 65);
  t.regex(again.stderr, /^xacthuc: --name "Sở Y tế tỉnh Thừa Thiên Huế" is already an agency\n$/);
  const controlled = await xacthuc('agency:create', '--name', 'Sở\u0007Y tế');
  t.is(controlled.code, 64);

  const base = ['client:create', '--name', 'Sổ sức khỏe', '--redirect-uri', 'https://suckhoe.hue.gov.vn/cb', '--purpose', 'Đặt lịch khám bệnh'];
  const known = await xacthuc(...base, '--agency', 'Sở Y tế tỉnh Thừa Thiên Huế');
  t.is(known.code, 0, known.stderr);
  const client = JSON.parse(known.stdout);
  t.is(client.agency_id, created.id);
  t.is(client.purpose, 'Đặt lịch khám bệnh');
  const before = await withDatabase(async (knex) => Number((await knex('clients').count({ n: '*' }))[0].n));
  const unknown = await xacthuc(...base, '--agency', 'Sở Y tế tỉnh Thừa Thiên');
  t.is(unknown.code, 64);
  t.regex(unknown.stderr, /^xacthuc: --agency "Sở Y tế tỉnh Thừa Thiên" is not a known agency/);
  t.is(await withDatabase(async (knex) => Number((await knex('clients').count({ n: '*' }))[0].n)), before, 'nothing stored');
});

test.serial('client:create makes subjects pairwise unless a public one is given with its reason, and refuses pairwise across several hosts', async (t) => {
  const base = ['client:create', '--name', 'Cổng A', '--purpose', 'Dịch vụ công'];
  for (const [option, args] of [
    ['--purpose', ['--name', 'Cổng A', '--redirect-uri', 'https://a.hue.gov.vn/cb']],
    ['--purpose', [...base.slice(1, 3), '--redirect-uri', 'https://a.hue.gov.vn/cb', '--purpose', 'x'.repeat(501)]],
    ['--purpose', [...base.slice(1, 3), '--redirect-uri', 'https://a.hue.gov.vn/cb', '--purpose', 'Dịch vụ\u202Ecông']],
    ['--public-subject-reason', [...base.slice(1), '--redirect-uri', 'https://a.hue.gov.vn/cb', '--subject-type', 'public']],
    ['--public-subject-reason', [...base.slice(1), '--redirect-uri', 'https://a.hue.gov.vn/cb', '--public-subject-reason', 'Vì cần']],
    ['--redirect-uri', [...base.slice(1), '--redirect-uri', 'https://a.hue.gov.vn/cb', '--redirect-uri', 'https://b.hue.gov.vn/cb']],
  ] as const) {
    const { code, stderr } = await xacthuc('client:create', ...args);
    t.is(code, 64, args.join(' '));
    t.true(stderr.startsWith(`xacthuc: ${option} `), stderr);
    t.is(stderr.trim().split('\n').length, 1);
  }
  const pairwise = await xacthuc(...base, '--redirect-uri', 'https://a.hue.gov.vn/cb', '--redirect-uri', 'https://a.hue.gov.vn/cb2');
  t.is(pairwise.code, 0, pairwise.stderr);
  t.is(JSON.parse(pairwise.stdout).subject_type, 'pairwise');
  const reason = 'Cổng của tỉnh đối chiếu hồ sơ với hệ thống một cửa';
  const open = await xacthuc(...base, '--redirect-uri', 'https://a.hue.gov.vn/cb', '--redirect-uri', 'https://b.hue.gov.vn/cb', '--subject-type', 'public', '--public-subject-reason', reason);
  t.is(open.code, 0, open.stderr);
  t.is(JSON.parse(open.stdout).subject_type, 'public');
  t.is(JSON.parse(open.stdout).public_subject_reason, reason);
});

test.serial('account:create makes an active citizen, prints identifiers masked, and refuses a duplicate', async (t) => {
  const args = ['account:create', '--type', 'citizen', '--national-id', '046090001234', '--full-name', 'Nguyễn Văn An', '--birthdate', '1990-05-17', '--gender', 'male', '--phone', '0912345678', '--password', 'Núi-Ngự-Bình-93'];
  const created = await xacthuc(...args);
  t.is(created.code, 0, created.stderr);
  const account = JSON.parse(created.stdout);
  t.is(account.status, 'active');
  t.is(account.national_id, '0460******34');
  t.false(created.stdout.includes('046090001234'));
  t.false(created.stdout.includes('argon2'));
  const duplicate = await xacthuc(...args);
  t.is(duplicate.code, 65);
  t.regex(duplicate.stderr, /already exists/);
});

test.serial('account:create explains an inconsistent personal number in Vietnamese', async (t) => {
  const { code, stderr } = await xacthuc('account:create', '--type', 'citizen', '--national-id', '046090009999', '--full-name', 'Trần Thị Bình', '--birthdate', '1991-01-01', '--gender', 'male', '--phone', '0912345678', '--password', 'Núi-Ngự-Bình-93');
  t.is(code, 64);
  t.regex(stderr, /--national-id: .*1990/);
});

test.serial('account:create makes an organization by tax code', async (t) => {
  const { code, stdout, stderr } = await xacthuc('account:create', '--type', 'organization', '--tax-code', '0100107518', '--org-name', 'Công ty Thử Nghiệm', '--phone', '+84987654321', '--password', 'Núi-Ngự-Bình-93');
  t.is(code, 0, stderr);
  t.is(JSON.parse(stdout).tax_code, '0100****18');
});

test.serial('admin:create makes an administrator; account:require-password-change and account:unlock find accounts by identifier', async (t) => {
  const created = await xacthuc('admin:create', '--national-id', '046085000321', '--full-name', 'Phan Văn Quản', '--birthdate', '1985-02-02', '--gender', 'male', '--phone', '0911222333', '--password', 'Thành-Nội-Ngọ-Môn-5');
  t.is(created.code, 0, created.stderr);
  t.deepEqual(JSON.parse(created.stdout).roles, ['super_admin']);
  const required = await xacthuc('account:require-password-change', '--identifier', '046085000321');
  t.is(required.code, 0, required.stderr);
  t.true(JSON.parse(required.stdout).password_change_required);
  const unlocked = await xacthuc('account:unlock', '--identifier', '0911222333');
  t.is(unlocked.code, 0, unlocked.stderr);
  const unknown = await xacthuc('account:unlock', '--identifier', '001099000000');
  t.is(unknown.code, 64);
  t.regex(unknown.stderr, /no active account/);
  const events = await withDatabase((knex) => knex('audit_events').whereIn('type', ['password.change_required', 'account.unlocked']));
  t.is(events.length, 2);
});

test.serial('account:unlock lifts the lock left by wrong passwords and the one left by wrong second-factor codes', async (t) => {
  const created = await xacthuc('account:create', '--type', 'citizen', '--national-id', '046090000889', '--full-name', 'Lý Văn Tám', '--birthdate', '1990-08-08', '--gender', 'male', '--phone', '0911888990', '--password', 'Cầu-Trường-Tiền-1899');
  t.is(created.code, 0, created.stderr);
  const { id } = JSON.parse(created.stdout);
  const lockedUntil = new Date(Date.now() + 900_000);
  // Locked as wrong passwords typed as the personal number and as the phone in two spellings
  // leave it (from one address, too), and as wrong second-factor codes do.
  const sealer = new Sealer(Buffer.from(env.SECRET_KEY, 'hex'));
  const identifiers = [...new Set(['046090000889', '0911888990', '+84911888990'].flatMap((typed) => identifierThrottleKeys(sealer, typed)))];
  const keys = [...identifiers, ...identifiers.map((key) => `identifier-ip:${key.slice('identifier:'.length)}:203.0.113.9`), `second-factor:${id}`];
  const unrelated = identifierThrottleKeys(sealer, '046090000890');
  await withDatabase((knex) => knex('sign_in_throttles').insert([...keys, ...unrelated].map((key) => ({ key, failures: 5, window_started_at: new Date(), locked_until: lockedUntil }))));
  const unlocked = await xacthuc('account:unlock', '--identifier', '046090000889');
  t.is(unlocked.code, 0, unlocked.stderr);
  t.true(JSON.parse(unlocked.stdout).unlocked);
  t.deepEqual(await withDatabase((knex) => knex('sign_in_throttles').whereIn('key', keys)), []);
  t.is((await withDatabase((knex) => knex('sign_in_throttles').whereIn('key', unrelated))).length, unrelated.length, 'another person\'s lock stays');
});

test.serial('a password can be given on standard input, out of the process list', async (t) => {
  const { code, stdout, stderr } = await xacthucWithInput('Hoàng-Thành-Huế-1802\n', 'account:create', '--type', 'citizen', '--national-id', '046090000888', '--full-name', 'Võ Thị Sáu', '--birthdate', '1990-01-01', '--gender', 'male', '--phone', '0911888999', '--password', '-');
  t.is(code, 0, stderr);
  t.is(JSON.parse(stdout).status, 'active');
});

test.serial('keys:rotate says when the new key signs and when the old one retires', async (t) => {
  const { code, stdout, stderr } = await xacthuc('keys:rotate');
  t.is(code, 0, stderr);
  const result = JSON.parse(stdout);
  t.is(result.introduced.length, 3);
  t.true(Date.parse(result.previous_keys_retire_at) > Date.parse(result.signs_from));
  const events = await withDatabase((knex) => knex('audit_events').where({ type: 'keys.rotated' }));
  t.is(events.length, 1);
});

test.serial('an unknown command is refused with a pointer to --help', async (t) => {
  const { code, stderr } = await xacthuc('frobnicate');
  t.is(code, 64);
  t.regex(stderr, /--help/);
});

test.serial('a command run while the server is up works on both databases: on the embedded one the server runs it, sent through its socket', async (t) => {
  const server = await startTestServer({ env: { ...database.env, SECRET_KEY: env.SECRET_KEY } });
  try {
    // A process of its own: the data directory's lock is per process. More in cli-running-server.test.ts.
    const migrate = await xacthucProcess('migrate');
    t.is(migrate.code, 0, migrate.stderr);
    t.deepEqual(JSON.parse(migrate.stdout), { applied: [] });
    const unlock = await xacthucProcess('account:unlock', '--identifier', '0911888999');
    t.is(unlock.code, 0, unlock.stderr);
    t.false(JSON.parse(unlock.stdout).unlocked);
    const unknown = await xacthucProcess('account:unlock', '--identifier', '001099000000');
    t.is(unknown.code, 64);
    t.is(unknown.stderr, 'xacthuc: no active account has this identifier\n');
  } finally {
    // stop(), not close(): it also drops the database the helper made for the server (unused
    // here, where the server runs on this file's database).
    await server.stop();
  }
});

// `account:create` and `admin:create` check what the operator typed by the registration form's
// own rules (SPEC R1–R3, R5), before anything is stored: a refusal is one line naming the
// option, exit code 64, and no account.
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../helpers/server.ts';
import { operatorCli } from '../helpers/cli.ts';

let database: TestDatabase;
let env: Record<string, string>;

test.before(async () => {
  database = await createTestDatabase();
  env = { ...(process.env as Record<string, string>), ...database.env, SECRET_KEY: randomBytes(32).toString('hex'), NODE_ENV: 'test', ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1' };
});
test.after.always(async () => {
  await database?.drop();
});

const cli = operatorCli(() => env);
const xacthuc = cli.run;
const withDatabase = cli.withDatabase;

const countAccounts = () => withDatabase(async (knex) => ((await knex.schema.hasTable('accounts')) ? Number((await knex('accounts').count({ n: '*' }))[0].n) : 0));

// 046223000456: registered in Thừa Thiên Huế, a man born in 2023 (IDENTIFIERS.md).
const citizen = (changes: Record<string, string> = {}) => {
  const values: Record<string, string> = {
    'national-id': '046223000456', 'full-name': 'Hồ Văn Minh', birthdate: '2023-02-28', gender: 'male', phone: '0912000456', password: 'Sông-Hương-Núi-Ngự-9', ...changes,
  };
  return Object.entries(values).flatMap(([option, value]) => [`--${option}`, value]);
};

function assertRefused(t: import('ava').ExecutionContext, answer: { code: number; stdout: string; stderr: string }, option: string, label: string) {
  t.is(answer.code, 64, `${label}: ${answer.stderr}`);
  t.true(answer.stderr.startsWith(`xacthuc: --${option}: `), `${label}: ${answer.stderr}`);
  t.is(answer.stderr.trim().split('\n').length, 1, label);
  t.is(answer.stdout, '', label);
}

test.serial('--birthdate 2023-02-30 is refused in one line naming the option, and no account is made', async (t) => {
  const before = await countAccounts();
  for (const command of [['account:create', '--type', 'citizen'], ['admin:create']]) {
    const answer = await xacthuc(...command, ...citizen({ birthdate: '2023-02-30' }));
    assertRefused(t, answer, 'birthdate', command[0]);
    t.regex(answer.stderr, /Ngày chưa đúng/);
  }
  t.is(await countAccounts(), before);
});

// Every rule is tabled in test/unit/accounts/operator-account.test.ts; these show the line an
// operator reads: the registration page's words, every broken password rule, the accepted values.
test.serial('a value the registration rules refuse is refused, naming its option, and nothing is made', async (t) => {
  const before = await countAccounts();
  const cases: Array<[string, string[], RegExp]> = [
    ['national-id', citizen({ gender: 'female' }), /Giới tính bạn chọn không khớp với số định danh/],
    ['full-name', citizen({ 'full-name': 'Hồ Văn\u202eMinh' }), /ký tự ẩn/],
    ['gender', citizen({ gender: 'nam' }), /\(male, female\)$/m],
    ['password', citizen({ password: 'minh2023' }), /chữ in hoa.*ký tự đặc biệt/],
  ];
  for (const [option, args, words] of cases) {
    const answer = await xacthuc('account:create', '--type', 'citizen', ...args);
    assertRefused(t, answer, option, args.join(' '));
    t.regex(answer.stderr, words, option);
  }
  const organization = await xacthuc('account:create', '--type', 'organization', '--tax-code', '0100107518', '--org-name', 'Công ty <script>', '--phone', '0987000456', '--password', 'Sông-Hương-Núi-Ngự-9');
  assertRefused(t, organization, 'org-name', 'organization');
  t.regex(organization.stderr, /ký tự “<”/);
  t.is(await countAccounts(), before);
});

test.serial('a valid citizen is stored as registration stores one: NFC name, E.164 phone, lower-case username, email domain', async (t) => {
  const answer = await xacthuc('admin:create', ...citizen({ 'full-name': 'Hồ  Văn Minh'.normalize('NFD'), phone: '+84 912 000 456' }), '--username', 'HoVanMinh', '--email', 'Minh.Ho@Hue.Gov.VN');
  t.is(answer.code, 0, answer.stderr);
  const printed = JSON.parse(answer.stdout);
  t.deepEqual(printed.roles, ['super_admin']);
  t.is(printed.full_name, 'Hồ Văn Minh'.normalize('NFC'));
  t.is(printed.username, 'hovanminh');
  const row = await withDatabase((knex) => knex('accounts').select('*', knex.raw(`to_char(birthdate, 'YYYY-MM-DD') AS born`)).where({ id: printed.id }).first());
  t.is(row.full_name, 'Hồ Văn Minh'.normalize('NFC'));
  t.is(row.born, '2023-02-28');
  t.is(row.email, 'Minh.Ho@hue.gov.vn', 'the domain lower-cased, the local part as given');
  t.is(row.status, 'active');
  t.true(row.phone_verified);
});

// The named prepared statements a connection keeps (db/batch.ts `prepared`) are one per
// operation, whatever the size of the batches: behind PgBouncer (`max_prepared_statements`)
// and in PostgreSQL's own memory, a busy node prepares a dozen statements, not thousands.
import test, { type ExecutionContext } from 'ava';
import { randomBytes } from 'node:crypto';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../helpers/server.ts';
import { createAdapterClass } from '../../src/oidc/adapter.ts';
import { ClientStore } from '../../src/oidc/clients.ts';
import { AccountStore, type IdentifierCandidates } from '../../src/accounts/store.ts';
import { SignInLockout, type ThrottleKey } from '../../src/passwords/lockout.ts';
import { AuditLog } from '../../src/audit/log.ts';
import { TotpFactors } from '../../src/otp/index.ts';
import { Sealer } from '../../src/secrets/index.ts';

let db: MigratedTestDatabase;
let Adapter: ReturnType<typeof createAdapterClass>;
let accounts: AccountStore;
let lockout: SignInLockout;
let audit: AuditLog;
let totp: TotpFactors;
const clock = { now: () => new Date() };
/** The text each statement name was sent with, and the names sent while `recording` is set. */
const texts = new Map<string, Set<string>>();
let recording: Set<string> | undefined;

test.before(async () => {
  db = await openMigratedTestDatabase();
  const sealer = new Sealer(randomBytes(32));
  Adapter = createAdapterClass(db.knex, new ClientStore(db.knex, sealer), sealer);
  accounts = new AccountStore(db.knex, sealer);
  lockout = new SignInLockout(db.knex, clock, { accountMaxFailures: 5, accountLockSeconds: 900, windowSeconds: 900, identifierIpMaxFailures: 10, ipMaxFailures: 100, ipLockSeconds: 600 });
  audit = new AuditLog(db.knex);
  totp = new TotpFactors({ knex: db.knex, sealer, clock, hashKey: randomBytes(32), issuer: 'Tỉnh Thừa Thiên Huế' });
  db.knex.on('query', (query: { sql: string; options?: { name?: string } }) => {
    const name = query.options?.name;
    if (!name) return;
    texts.set(name, (texts.get(name) ?? new Set()).add(query.sql));
    recording?.add(name);
  });
});
test.after.always(async () => {
  await db?.close();
});

const id = () => randomBytes(8).toString('hex');
const times = <T>(n: number, make: (index: number) => T) => Array.from({ length: n }, (_, index) => make(index));

/** Which identifiers the text typed at sign-in parses as: a different mix for each batch size. */
const MIXES: Array<(keyOf: (kind: string) => string) => IdentifierCandidates> = [
  (k) => ({ username: k('user') }),
  (k) => ({ nationalId: k('cccd'), phone: k('phone') }),
  (k) => ({ taxCode: k('tax') }),
  (k) => ({ username: k('user'), nationalId: k('cccd'), taxCode: k('tax'), phone: k('phone') }),
];

/**
 * Every batched operation, `n` requests at once (one event-loop turn, one statement each),
 * checking the answers too: the rows come back, each to its own caller.
 */
async function workload(t: ExecutionContext, n: number, mix: (typeof MIXES)[number]): Promise<void> {
  const sessions = new Adapter('Session');
  const deviceCodes = new Adapter('DeviceCode');
  const codes = new Adapter('AuthorizationCode');
  // Text that array literals and JSON must carry through: quotes, backslashes, braces, commas.
  const name = 'Nguyễn "Bé" \\ {a,b}';
  const ids = times(n, id);
  await Promise.all(ids.map((key, index) => sessions.upsert(key, { uid: `uid-${key}`, accountId: `a-${index}`, name }, index === 0 ? 0 : 60)));
  t.deepEqual(await Promise.all(ids.map((key) => sessions.find(key))), ids.map((key, index) => ({ jti: key, uid: `uid-${key}`, accountId: `a-${index}`, name })));
  t.is((await db.knex('oidc_models').where({ model: 'Session', uid: `uid-${ids[0]}` }).first()).expires_at, null, 'no expiry is NULL');
  t.deepEqual((await Promise.all(ids.map((key) => sessions.findByUid(`uid-${key}`)))).map((found) => found?.accountId), ids.map((_, index) => `a-${index}`));
  const userCodes = times(n, id);
  await Promise.all(userCodes.map((userCode) => deviceCodes.upsert(id(), { userCode }, 60)));
  t.deepEqual((await Promise.all(userCodes.map((userCode) => deviceCodes.findByUserCode(userCode)))).map((found) => found?.userCode), userCodes);
  const codeIds = times(n, id);
  await Promise.all(codeIds.map((code) => codes.upsert(code, { grantId: id() }, 60)));
  await Promise.all(codeIds.map((code) => codes.consume(code)));
  t.true((await Promise.all(codeIds.map((code) => codes.find(code)))).every((found) => typeof found?.consumed === 'number'));
  // Destroys alone, then destroys and upserts in one statement.
  await Promise.all(ids.map((key) => sessions.destroy(key)));
  t.deepEqual(await Promise.all(ids.map((key) => sessions.find(key))), ids.map(() => undefined));
  await Promise.all([...codeIds.map((code) => codes.destroy(code)), ...ids.map((key) => sessions.upsert(key, { uid: `uid-${key}` }, 60))]);
  t.deepEqual(await Promise.all(codeIds.map((code) => codes.find(code))), codeIds.map(() => undefined));

  const tag = id();
  const keyOf = (kind: string) => `${kind}-${tag}`;
  const created = await Promise.all(times(n, (index) => accounts.create({ type: 'citizen', fullName: `Trần Thị ${index}`, username: `u${index}-${tag}` })));
  t.deepEqual((await Promise.all(created.map((account) => accounts.findById(account.id)))).map((account) => account?.username), created.map((account) => account.username));
  t.is((await accounts.findActiveByIdentifier({ ...mix(keyOf), username: created[0].username! }))[0]?.id, created[0].id);
  t.deepEqual(await accounts.findActiveByIdentifier(mix(keyOf)), []);
  const always = times(n, (index) => `identifier-ip:${tag}:${index}` as ThrottleKey);
  const signIn = await accounts.findForSignIn(mix(keyOf), { identifiers: [`identifier:${tag}`], pairs: always, ip: `ip:${tag}` }, lockout.counting());
  t.deepEqual(signIn.counted.map((row) => row.key).sort(), [...always, `identifier:${tag}`, `ip:${tag}`].sort());
  t.true(lockout.judge(signIn.counted).allowed);
  await lockout.clear({ cleared: always.slice(1), refunded: always[0] });
  const reserved = times(n, (index) => `identifier-ip:${tag}:${index}` as ThrottleKey);
  t.true((await lockout.reserve(reserved)).allowed);
  t.is(await totp.isEnrolled(created[0].id), false);

  await Promise.all(times(n, (index) => audit.record({ type: 'signin.failed', accountId: created[index].id, ip: '203.0.113.9', details: { name } })));
  const events = await db.knex('audit_events').whereIn('account_id', created.map((account) => account.id)).orderBy('id');
  t.deepEqual(events.map((event) => [event.account_id, event.details.name]), created.map((account) => [account.id, name]), 'in the order they were recorded');
}

test.serial('the statement names a node prepares are the same for batches of 1, 2, 7 and 30 requests, one text each', async (t) => {
  const named: Record<number, string[]> = {};
  for (const [index, n] of [1, 2, 7, 30].entries()) {
    recording = new Set();
    await workload(t, n, MIXES[index]);
    named[n] = [...recording].sort();
    recording = undefined;
  }
  t.log(named[1].join(', '));
  t.true(named[1].length >= 12, `every operation ran as a named statement: ${named[1].join(', ')}`);
  for (const n of [2, 7, 30]) t.deepEqual(named[n], named[1], `batches of ${n}`);
  for (const [name, sent] of texts) t.is(sent.size, 1, `${name} has one text`);
});

import test from 'ava';
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../helpers/server.ts';
import { createAdapterClass, storedModelId, sweepExpiredModels } from '../../src/oidc/adapter.ts';
import { ClientStore } from '../../src/oidc/clients.ts';
import { requestScope } from '../../src/db/index.ts';
import { Sealer } from '../../src/secrets/index.ts';
import { AccountStore } from '../../src/accounts/index.ts';

let db: MigratedTestDatabase;
let Adapter: ReturnType<typeof createAdapterClass>;
const modelSealer = new Sealer(randomBytes(32));

test.before(async () => {
  db = await openMigratedTestDatabase();
  Adapter = createAdapterClass(db.knex, new ClientStore(db.knex, new Sealer(randomBytes(32))), modelSealer);
});
test.after.always(async () => {
  await db?.close();
});

const id = () => randomBytes(8).toString('hex');

test('stores, finds and destroys a model', async (t) => {
  const sessions = new Adapter('Session');
  const key = id();
  await sessions.upsert(key, { uid: `uid-${key}`, accountId: 'a' }, 60);
  t.deepEqual(await sessions.find(key), { jti: key, uid: `uid-${key}`, accountId: 'a' }, 'found by its id, it carries that id');
  t.deepEqual(await sessions.findByUid(`uid-${key}`), { uid: `uid-${key}`, accountId: 'a' });
  t.is(await new Adapter('AccessToken').find(key), undefined, 'models do not see each other');
  await sessions.upsert(key, { uid: `uid-${key}`, accountId: 'b' }, 60);
  t.is((await sessions.find(key))?.accountId, 'b', 'upsert replaces');
  await sessions.destroy(key);
  t.is(await sessions.find(key), undefined);
});

test('a token is stored under a keyed hash of its value, and its value is nowhere in its row', async (t) => {
  const tokens = new Adapter('RefreshToken');
  const value = id();
  await tokens.upsert(value, { jti: value, grantId: 'g-stored', accountId: 'a' }, 60);
  const row = await db.knex('oidc_models').where({ model: 'RefreshToken', grant_id: 'g-stored' }).first();
  t.not(row.id, value);
  t.false(JSON.stringify(row).includes(value), 'neither the key nor the payload holds the token');
  t.is((await tokens.find(value))?.grantId, 'g-stored');
  t.is(await tokens.find(row.id), undefined, 'the stored key is not a token');
});

test('a consent (Grant) keeps its id, and an interaction keeps no session cookie value', async (t) => {
  const [grant, interaction, cookie] = [id(), id(), id()];
  await new Adapter('Grant').upsert(grant, { jti: grant, accountId: 'a' }, 60);
  await new Adapter('Interaction').upsert(interaction, { jti: interaction, session: { uid: 'u', cookie, accountId: 'a' } }, 60);
  t.truthy(await db.knex('oidc_models').where({ model: 'Grant', id: grant }).first());
  const stored = await db.knex('oidc_models').where({ model: 'Interaction', id: interaction }).first();
  t.deepEqual(stored.payload.session, { uid: 'u', accountId: 'a' });
});

test('an expired row is not found, and the sweep removes it', async (t) => {
  const codes = new Adapter('AuthorizationCode');
  const key = id();
  await codes.upsert(key, { grantId: 'g' }, 60);
  await db.knex('oidc_models').where({ model: 'AuthorizationCode', id: storedModelId(modelSealer, 'AuthorizationCode', key) }).update({ expires_at: new Date(Date.now() - 1000) });
  t.is(await codes.find(key), undefined);
  t.true((await sweepExpiredModels(db.knex)) >= 1);
  t.is(await db.knex('oidc_models').where({ model: 'AuthorizationCode', id: storedModelId(modelSealer, 'AuthorizationCode', key) }).first(), undefined);
});

test('consume marks a code consumed exactly once', async (t) => {
  const codes = new Adapter('AuthorizationCode');
  const key = id();
  await codes.upsert(key, { grantId: 'g' }, 60);
  const results = await Promise.allSettled([codes.consume(key), codes.consume(key), codes.consume(key)]);
  t.is(results.filter((result) => result.status === 'fulfilled').length, 1);
  const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
  t.is(rejected.reason.error, 'invalid_grant');
  t.true(typeof (await codes.find(key))?.consumed === 'number');
});

test('revokeByGrantId removes its own model\'s rows of the grant and nothing else', async (t) => {
  const grant = id();
  const access = new Adapter('AccessToken');
  const refresh = new Adapter('RefreshToken');
  const interactions = new Adapter('Interaction');
  const [a, r, other, interaction] = [id(), id(), id(), id()];
  await access.upsert(a, { grantId: grant }, 60);
  await refresh.upsert(r, { grantId: grant }, 60);
  await access.upsert(other, { grantId: id() }, 60);
  // Another person signing in on the browser whose session the grant belongs to.
  await interactions.upsert(interaction, { grantId: grant, uid: interaction }, 60);
  await access.revokeByGrantId(grant);
  t.is(await access.find(a), undefined);
  t.truthy(await refresh.find(r), 'oidc-provider revokes each model by a call of its own');
  t.truthy(await access.find(other));
  await refresh.revokeByGrantId(grant);
  t.is(await refresh.find(r), undefined);
  await interactions.revokeByGrantId(grant);
  t.truthy(await interactions.find(interaction), 'an interaction is not a token of the grant');
});

test('a grant revoked as oidc-provider does it, one call per model at once, takes one DELETE', async (t) => {
  const grant = id();
  const models = ['AccessToken', 'RefreshToken', 'AuthorizationCode'];
  const keys = models.map(() => id());
  await Promise.all(models.map((model, index) => new Adapter(model).upsert(keys[index], { grantId: grant }, 60)));
  const device = id();
  await new Adapter('DeviceCode').upsert(device, { grantId: grant }, 60);
  const deletes: string[] = [];
  // Other tests of this file run meanwhile: only statements naming this grant count.
  const count = (query: { sql: string; bindings?: unknown[] }) => {
    if (/\bdelete\b/i.test(query.sql) && query.bindings?.some((value) => value === grant || (Array.isArray(value) && value.includes(grant)))) deletes.push(query.sql);
  };
  db.knex.on('query', count);
  try {
    await Promise.all(models.map((model) => new Adapter(model).revokeByGrantId(grant)));
  } finally {
    db.knex.off('query', count);
  }
  t.is(deletes.length, 1);
  t.deepEqual(await Promise.all(models.map((model, index) => new Adapter(model).find(keys[index]))), [undefined, undefined, undefined]);
  t.truthy(await new Adapter('DeviceCode').find(device), 'a model not revoked keeps its rows');
});

test('findByUserCode finds a device code by its user code', async (t) => {
  const devices = new Adapter('DeviceCode');
  const key = id();
  await devices.upsert(key, { userCode: `UC-${key}` }, 60);
  t.deepEqual(await devices.findByUserCode(`UC-${key}`), { userCode: `UC-${key}` });
});

test('revoking an account ends its sessions and tokens, keeps its consent, and leaves other accounts alone', async (t) => {
  const { revokeAccountSessions } = await import('../../src/oidc/adapter.ts');
  const account = '6f1c1b4e-2f7a-4a53-9f1e-0a1b2c3d4e5f';
  const other = '7a2d2c5f-3a8b-4b64-8a2f-1b2c3d4e5f60';
  const [session, refresh, grant, othersSession] = [id(), id(), id(), id()];
  await new Adapter('Session').upsert(session, { accountId: account, uid: `u-${session}`, authorizations: { app: { sid: 'sid-app', grantId: grant }, 'not-signed-in': {} } }, 60);
  await new Adapter('RefreshToken').upsert(refresh, { accountId: account, grantId: grant }, 60);
  await new Adapter('Grant').upsert(grant, { accountId: account }, 60);
  await new Adapter('Session').upsert(othersSession, { accountId: other, uid: `u-${othersSession}` }, 60);
  const { revoked, sessions } = await revokeAccountSessions(db.knex, account);
  t.is(revoked, 2);
  t.deepEqual(sessions, [{ accountId: account, apps: [{ clientId: 'app', sid: 'sid-app' }] }], 'the ended session names the apps to tell');
  t.is(await new Adapter('Session').find(session), undefined);
  t.is(await new Adapter('RefreshToken').find(refresh), undefined);
  t.truthy(await new Adapter('Grant').find(grant));
  t.truthy(await new Adapter('Session').find(othersSession));
});

test('concurrent requests sharing one statement each get their own row, and the last write of a row wins', async (t) => {
  const sessions = new Adapter('Session');
  const keys = [id(), id(), id()];
  await Promise.all(keys.map((key) => sessions.upsert(key, { uid: `uid-${key}`, accountId: key }, 60)));
  await Promise.all([sessions.upsert(keys[0], { accountId: 'first' }, 60), sessions.upsert(keys[0], { accountId: 'second' }, 60)]);
  const found = await Promise.all([...keys, id()].map((key) => sessions.find(key)));
  t.deepEqual(found.map((payload) => payload?.accountId), ['second', keys[1], keys[2], undefined]);
  const byUid = await Promise.all(keys.map((key) => sessions.findByUid(`uid-${key}`)));
  t.deepEqual(byUid.map((payload) => payload?.accountId), [undefined, keys[1], keys[2]]);
  await Promise.all([sessions.destroy(keys[1]), sessions.destroy(keys[2])]);
  t.deepEqual(await Promise.all(keys.map(async (key) => (await sessions.find(key))?.accountId)), ['second', undefined, undefined]);
});

test('codes consumed together: each is consumed once, the same code only for the first request', async (t) => {
  const codes = new Adapter('AuthorizationCode');
  const [a, b, grant] = [id(), id(), id()];
  await Promise.all([codes.upsert(a, { grantId: grant }, 60), codes.upsert(b, { grantId: grant }, 60)]);
  const results = await Promise.allSettled([codes.consume(a), codes.consume(b), codes.consume(a)]);
  t.deepEqual(results.map((result) => result.status), ['fulfilled', 'fulfilled', 'rejected']);
});

/** Runs `work` as one HTTP request would: in a scope of its own, its deferred writes made at its end. */
const asRequest = async <T>(work: () => Promise<T>): Promise<T> => {
  let result: T | undefined;
  await requestScope()({} as never, async () => {
    result = await work();
  });
  return result as T;
};

test('a token read brings its grant along for the same request only, once, and never past a write', async (t) => {
  const tokens = new Adapter('RefreshToken');
  const grants = new Adapter('Grant');
  const [token, grant] = [id(), id()];
  await grants.upsert(grant, { accountId: 'a', clientId: 'c' }, 60);
  await tokens.upsert(token, { grantId: grant, accountId: 'a' }, 60);

  await asRequest(async () => {
    t.is((await tokens.find(token))?.grantId, grant);
    await asRequest(async () => {
      t.is((await grants.find(grant))?.clientId, 'c');
      await grants.destroy(grant);
    });
    t.is((await grants.find(grant))?.clientId, 'c', 'what this request read with its token, as if read a moment earlier');
    t.is(await grants.find(grant), undefined, 'handed out once: the next look-up asks the database');
  });
  await grants.upsert(grant, { accountId: 'a', clientId: 'c' }, 60);

  await asRequest(async () => {
    await tokens.find(token);
    await asRequest(() => grants.destroy(grant));
    await grants.upsert(id(), { accountId: 'b', clientId: 'c' }, 60);
    t.is(await grants.find(grant), undefined, 'a request that wrote grants forgets the grants it read ahead');
  });
  await asRequest(() => grants.upsert(grant, { accountId: 'a', clientId: 'c' }, 60));
  await asRequest(() => tokens.find(token));
  await asRequest(() => grants.destroy(grant));
  t.is(await asRequest(() => grants.find(grant)), undefined, 'another request never gets it');
});

test('an interaction read brings along its session, known missing when it is gone', async (t) => {
  const interactions = new Adapter('Interaction');
  const sessions = new Adapter('Session');
  const [interaction, session, uid] = [id(), id(), id()];
  await sessions.upsert(session, { uid, accountId: 'a' }, 60);
  await interactions.upsert(interaction, { uid: interaction, session: { uid, accountId: 'a' } }, 60);
  await asRequest(async () => {
    await interactions.find(interaction);
    t.is((await sessions.findByUid(uid))?.accountId, 'a');
  });
  await sessions.destroy(session);
  await asRequest(async () => {
    await interactions.find(interaction);
    t.is(await sessions.findByUid(uid), undefined);
  });
});

test('two requests asking for the same row in one turn each get their own copy to change', async (t) => {
  const sessions = new Adapter('Session');
  const key = id();
  await sessions.upsert(key, { uid: `uid-${key}`, authorizations: { app: { sid: 'x' } } }, 60);
  const [first, second] = await Promise.all([sessions.find(key), sessions.find(key)]);
  (first!.authorizations as Record<string, unknown>).other = { sid: 'y' };
  t.deepEqual(second!.authorizations, { app: { sid: 'x' } });
});

test('two requests reading the same token in one turn each get it, and each its own copy of the Grant read along', async (t) => {
  const tokens = new Adapter('RefreshToken');
  const grants = new Adapter('Grant');
  const [token, grant] = [id(), id()];
  await grants.upsert(grant, { accountId: 'a', clientId: 'c', openid: { scope: 'openid' } }, 60);
  await tokens.upsert(token, { grantId: grant, accountId: 'a' }, 60);
  const read = () => asRequest(async () => {
    const found = await tokens.find(token);
    return { found, grant: await grants.find(grant) };
  });
  const [first, second] = await Promise.all([read(), read()]);
  t.is(first.found?.grantId, grant);
  t.is(second.found?.grantId, grant);
  (first.grant!.openid as { scope: string }).scope = 'openid profile';
  t.is((second.grant!.openid as { scope: string }).scope, 'openid', 'one request\'s change is not the other\'s');
});

test('a request\'s writes reach the database together at its end, and the request sees its own writes before that', async (t) => {
  const sessions = new Adapter('Session');
  const codes = new Adapter('AuthorizationCode');
  const [session, code, gone] = [id(), id(), id()];
  await sessions.upsert(gone, { uid: `uid-${gone}` }, 60);
  const stored = (key: string) => db.knex('oidc_models').whereIn('id', [storedModelId(modelSealer, 'Session', key), storedModelId(modelSealer, 'AuthorizationCode', key)]).first();
  await asRequest(async () => {
    await sessions.upsert(session, { uid: `uid-${session}`, accountId: 'a' }, 60);
    await codes.upsert(code, { grantId: 'g' }, 60);
    await sessions.destroy(gone);
    t.is(await stored(session), undefined, 'not written yet');
    t.truthy(await stored(gone), 'not destroyed yet');
    t.is((await codes.find(code))?.grantId, 'g', 'its own write, read back');
    t.truthy(await stored(session), 'reading one of its writes wrote them first');
    t.is(await stored(gone), undefined);
    await codes.upsert(code, { grantId: 'h' }, 60);
    await codes.destroy(code);
  });
  t.is(await stored(code), undefined, 'the last write of a row wins');
  t.is((await sessions.findByUid(`uid-${session}`))?.accountId, 'a');
});

test('a session given a new id in one request keeps its uid: the old row goes before the new one is checked', async (t) => {
  const sessions = new Adapter('Session');
  const [old, renewed, uid] = [id(), id(), id()];
  await sessions.upsert(old, { uid, accountId: 'a' }, 60);
  await asRequest(async () => {
    await sessions.destroy(old);
    await sessions.upsert(renewed, { uid, accountId: 'b' }, 60);
  });
  t.is(await sessions.find(old), undefined);
  t.is((await sessions.findByUid(uid))?.accountId, 'b');
});

test('a request\'s writes land all or none: one the database refuses fails the request and writes nothing', async (t) => {
  const sessions = new Adapter('Session');
  const codes = new Adapter('AuthorizationCode');
  const [taken, clash, code] = [id(), id(), id()];
  await sessions.upsert(taken, { uid: `uid-${taken}` }, 60);
  await t.throwsAsync(asRequest(async () => {
    await codes.upsert(code, { grantId: 'g' }, 60);
    // Another session with a uid already in use: the unique index refuses it.
    await sessions.upsert(clash, { uid: `uid-${taken}` }, 60);
  }), { code: '23505' });
  t.is(await codes.find(code), undefined);
  t.is(await sessions.find(clash), undefined);
});

test('a token read brings its account along: the account store answers without a statement of its own', async (t) => {
  const sealer = new Sealer(randomBytes(32));
  const accounts = new AccountStore(db.knex, sealer);
  const account = await accounts.create({ type: 'citizen', fullName: 'Trần Thị Bình', nationalId: '001190012345', phone: '+84912345678' });
  const tokens = new Adapter('RefreshToken');
  const token = id();
  await tokens.upsert(token, { accountId: account.id, grantId: id() }, 60);
  const statements: string[] = [];
  // Other tests of this file run meanwhile: only statements on the accounts table count.
  const count = (query: { sql: string }) => {
    if (query.sql.includes('"accounts"')) statements.push(query.sql);
  };
  db.knex.on('query', count);
  try {
    await asRequest(async () => {
      await tokens.find(token);
      const before = statements.length;
      const found = await accounts.findById(account.id);
      t.is(statements.length, before, 'no statement for the account');
      t.is(found?.fullName, 'Trần Thị Bình');
      t.is(found?.nationalId, '001190012345');
      t.is(found?.phone, '+84912345678');
      t.true(found?.updatedAt instanceof Date && !Number.isNaN(found.updatedAt.getTime()));
      await accounts.findById(account.id);
      t.is(statements.length, before + 1, 'handed out once');
    });
    await asRequest(async () => {
      await tokens.find(token);
      await accounts.requirePasswordChange(account.id);
      t.true((await accounts.findById(account.id))?.passwordChangeRequired, 'a request that changed the account reads it again');
    });
  } finally {
    db.knex.off('query', count);
  }
});

test.serial('an account read along with a token is the same Account as one read by itself: every field, dates as Date', async (t) => {
  const sealer = new Sealer(randomBytes(32));
  const accounts = new AccountStore(db.knex, sealer);
  const created = await accounts.create({
    type: 'citizen', fullName: 'Nguyễn Văn An', nationalId: '001203004567', taxCode: '8012345678', phone: '+84912345679', phoneVerified: true,
    email: 'an@example.vn', birthdate: '1990-01-15', gender: 'male', profile: { address: 'Huế' }, passwordHash: '$argon2id$v=19$stand-in', roles: ['operator'],
  });
  const tokens = new Adapter('AccessToken');
  const token = id();
  await tokens.upsert(token, { accountId: created.id }, 60);
  const alone = await accounts.findById(created.id);
  const [byIdentifier] = await accounts.findActiveByIdentifier({ nationalId: '001203004567' });
  const alongWithToken = await asRequest(async () => {
    await tokens.find(token);
    return accounts.findById(created.id);
  });
  t.deepEqual(alongWithToken, alone);
  t.deepEqual(byIdentifier, alone);
  t.true(alongWithToken?.passwordChangedAt instanceof Date);
  t.true(alongWithToken?.updatedAt instanceof Date);
  t.is(alongWithToken?.birthdate, '1990-01-15');
  t.deepEqual(alongWithToken?.roles, ['operator']);
});

test.serial('every write of the accounts module forgets the account the request read ahead', async (t) => {
  const accounts = new AccountStore(db.knex, new Sealer(randomBytes(32)));
  const account = await accounts.create({ type: 'citizen', fullName: 'Võ Thị Hoa', nationalId: '048305001234', passwordHash: 'hash-0' });
  const tokens = new Adapter('RefreshToken');
  const token = id();
  await tokens.upsert(token, { accountId: account.id }, 60);
  const writes: Array<[string, () => Promise<unknown>, (found: Awaited<ReturnType<typeof accounts.findById>>) => boolean]> = [
    ['setPassword', () => accounts.setPassword(account.id, 'hash-1', new Date()), (found) => found?.passwordHash === 'hash-1'],
    ['upgradePasswordHash', () => accounts.upgradePasswordHash(account.id, 'hash-1', 'hash-2'), (found) => found?.passwordHash === 'hash-2'],
    ['requirePasswordChange', () => accounts.requirePasswordChange(account.id), (found) => found?.passwordChangeRequired === true],
  ];
  for (const [name, write, changed] of writes) {
    await asRequest(async () => {
      await tokens.find(token);
      await write();
      t.true(changed(await accounts.findById(account.id)), `${name}: read again after the write`);
    });
  }
});

test('an answer whose writes failed is an error with no trace of the answer it replaced', async (t) => {
  const sessions = new Adapter('Session');
  const [taken, clash] = [id(), id()];
  await sessions.upsert(taken, { uid: `uid-${taken}` }, 60);
  const app = new Koa();
  app.silent = true;
  app.use(requestScope());
  app.use(async (ctx) => {
    await sessions.upsert(clash, { uid: `uid-${taken}` }, 60);
    ctx.cookies.set('_session', clash);
    ctx.redirect('https://rp.example.vn/callback?code=would-be-issued');
  });
  const server = app.listen(0);
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://localhost:${port}/`, { redirect: 'manual' });
    t.is(response.status, 500);
    t.is(response.headers.get('location'), null);
    t.is(response.headers.get('set-cookie'), null);
    t.is(await sessions.find(clash), undefined);
  } finally {
    server.close();
  }
});

test('a row read ahead while the request is writing rows of its kind is not kept: it may predate the write', async (t) => {
  const tokens = new Adapter('RefreshToken');
  const grants = new Adapter('Grant');
  const codes = new Adapter('AuthorizationCode');
  const [token, grant, code] = [id(), id(), id()];
  await grants.upsert(grant, { accountId: 'a', clientId: 'c' }, 60);
  await tokens.upsert(token, { grantId: grant, accountId: 'a' }, 60);
  await asRequest(async () => {
    await grants.destroy(grant);
    await codes.upsert(code, { grantId: 'other' }, 60);
    await tokens.find(token);
    // Reading its own code writes everything pending, the destroyed grant included.
    await codes.find(code);
    t.is(await grants.find(grant), undefined);
  });
});

test('reads made while the request\'s writes are on their way wait for them', async (t) => {
  const access = new Adapter('AccessToken');
  const refresh = new Adapter('RefreshToken');
  for (let round = 0; round < 10; round += 1) {
    // A grant of its own: another test here revokes grant 'g' (a code used twice).
    const [a, r, grant] = [id(), id(), id()];
    await asRequest(async () => {
      await access.upsert(a, { grantId: grant, round }, 60);
      await refresh.upsert(r, { grantId: grant, round }, 60);
      const [foundAccess, foundRefresh] = await Promise.all([access.find(a), refresh.find(r)]);
      t.is(foundAccess?.round, round);
      t.is(foundRefresh?.round, round);
    });
  }
});

test('a row destroyed and written again in one request is a new row: its consumption does not carry over', async (t) => {
  const codes = new Adapter('AuthorizationCode');
  const key = id();
  await codes.upsert(key, { grantId: 'g', v: 1 }, 60);
  await codes.consume(key);
  t.is(typeof (await codes.find(key))?.consumed, 'number');
  await asRequest(async () => {
    await codes.destroy(key);
    await codes.upsert(key, { grantId: 'g', v: 2 }, 60);
    await codes.upsert(key, { grantId: 'g', v: 3 }, 60);
  });
  t.deepEqual(await codes.find(key), { jti: key, grantId: 'g', v: 3 });
});

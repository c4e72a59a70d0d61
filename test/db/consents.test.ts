import test from 'ava';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../helpers/server.ts';
import { ConsentStore } from '../../src/oidc/consents.ts';

let db: MigratedTestDatabase;
let now = Date.parse('2026-12-02T08:00:00Z');
const clock = { now: () => new Date(now) };

test.before(async () => {
  db = await openMigratedTestDatabase();
});
test.after.always(async () => {
  await db?.close();
});

const account = '5e0c0a3d-1e69-4942-8e0d-f9a0b1c2d3e4';

test.serial('a consent is found for its account and app only, and a later one widens it', async (t) => {
  const consents = new ConsentStore(db.knex, clock);
  await consents.give(account, 'cong-dich-vu-cong', { scopes: ['openid', 'profile'], claims: ['name'] });
  now += 60_000;
  await consents.give(account, 'cong-dich-vu-cong', { scopes: ['phone', 'openid'], claims: [] });
  t.deepEqual(await consents.find(account, 'cong-dich-vu-cong'), { scopes: ['openid', 'phone', 'profile'], claims: ['name'] });
  t.is(await consents.find(account, 'ung-dung-khac'), undefined);
  t.is(await consents.find('6f1c1b4e-2f7a-4a53-9f1e-0a1b2c3d4e5f', 'cong-dich-vu-cong'), undefined);
  const row = await db.knex('consents').where({ account_id: account, client_id: 'cong-dich-vu-cong' }).first();
  t.is(new Date(row.given_at).getTime(), Date.parse('2026-12-02T08:00:00Z'), 'given when first given');
});

test.serial('a withdrawn consent is not found, and a new one starts afresh', async (t) => {
  const consents = new ConsentStore(db.knex, clock);
  await consents.give(account, 'so-y-te', { scopes: ['openid', 'national_id'], claims: [] });
  await db.knex('consents').where({ account_id: account, client_id: 'so-y-te' }).update({ revoked_at: clock.now() });
  t.is(await consents.find(account, 'so-y-te'), undefined);
  await consents.give(account, 'so-y-te', { scopes: ['openid'], claims: [] });
  t.deepEqual(await consents.find(account, 'so-y-te'), { scopes: ['openid'], claims: [] }, 'nothing of the withdrawn one');
});

test.serial('the migration carries the consents of Grants in force into the consents table', async (t) => {
  const migration = { name: '202612020900_create_consents.ts' };
  await db.knex.migrate.down(migration);
  const grant = (id: string, clientId: string, scope: string, claims: string[], expiresAt: Date) => ({
    model: 'Grant', id, account_id: account, grant_id: null, expires_at: expiresAt,
    payload: JSON.stringify({ accountId: account, clientId, openid: { scope, claims }, kind: 'Grant', jti: id }),
  });
  await db.knex('oidc_models').insert([
    grant('g-live', 'cong-thue', 'openid profile', ['name'], new Date(Date.now() + 86_400_000)),
    grant('g-gone', 'cong-dat-dai', 'openid', [], new Date(Date.now() - 1000)),
  ]);
  await db.knex.migrate.up(migration);
  const consents = new ConsentStore(db.knex, clock);
  t.deepEqual(await consents.find(account, 'cong-thue'), { scopes: ['openid', 'profile'], claims: ['name'] });
  t.is(await consents.find(account, 'cong-dat-dai'), undefined, 'an expired Grant is no consent in force');
});

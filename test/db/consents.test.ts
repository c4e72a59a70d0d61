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
const shown = { clientName: 'Cổng dịch vụ công', agency: 'Sở Khoa học và Công nghệ', purpose: 'Giải quyết thủ tục hành chính' };
const none = { scopes: [], claims: [] };
/** A decision granting `scopes` (and `claims`), refusing nothing. */
const granting = (scopes: string[], claims: string[] = []) => ({ granted: { scopes, claims }, refused: none, shown });

test.serial('a consent is found for its account and app only, and a later one widens it', async (t) => {
  const consents = new ConsentStore(db.knex, clock);
  await consents.give(account, 'cong-dich-vu-cong', granting(['openid', 'profile'], ['name']));
  now += 60_000;
  await consents.give(account, 'cong-dich-vu-cong', granting(['phone', 'openid']));
  t.deepEqual(await consents.find(account, 'cong-dich-vu-cong'), { scopes: ['openid', 'phone', 'profile'], claims: ['name'], refused: none });
  t.is(await consents.find(account, 'ung-dung-khac'), undefined);
  t.is(await consents.find('6f1c1b4e-2f7a-4a53-9f1e-0a1b2c3d4e5f', 'cong-dich-vu-cong'), undefined);
  const row = await db.knex('consents').where({ account_id: account, client_id: 'cong-dich-vu-cong' }).first();
  t.is(new Date(row.given_at).getTime(), Date.parse('2026-12-02T08:00:00Z'), 'given when first given');
});

test.serial('a withdrawn consent is not found, and a new one starts afresh', async (t) => {
  const consents = new ConsentStore(db.knex, clock);
  await consents.give(account, 'so-y-te', { granted: { scopes: ['openid', 'national_id'], claims: [] }, refused: { scopes: ['phone'], claims: [] }, shown });
  t.truthy(await db.knex.transaction((trx) => consents.withdraw(account, 'so-y-te', trx)));
  t.is(await consents.find(account, 'so-y-te'), undefined);
  t.is(await db.knex.transaction((trx) => consents.withdraw(account, 'so-y-te', trx)), undefined, 'withdrawn once');
  await consents.give(account, 'so-y-te', granting(['openid']));
  t.deepEqual(await consents.find(account, 'so-y-te'), { scopes: ['openid'], claims: [], refused: none }, 'nothing of the withdrawn one, granted or refused');
});

test.serial('a refusal is remembered until the person grants it, and never takes back what was granted', async (t) => {
  const consents = new ConsentStore(db.knex, clock);
  await consents.give(account, 'cong-thue-1', { granted: { scopes: ['openid', 'profile'], claims: [] }, refused: { scopes: ['phone', 'email'], claims: ['address'] }, shown });
  t.deepEqual(await consents.find(account, 'cong-thue-1'), { scopes: ['openid', 'profile'], claims: [], refused: { scopes: ['email', 'phone'], claims: ['address'] } });
  await consents.give(account, 'cong-thue-1', { granted: { scopes: ['phone'], claims: [] }, refused: { scopes: ['profile'], claims: [] }, shown });
  t.deepEqual(await consents.find(account, 'cong-thue-1'), { scopes: ['openid', 'phone', 'profile'], claims: [], refused: { scopes: ['email'], claims: ['address'] } });
});

test.serial('every decision is kept with its time, what was granted and refused, and the name, agency and purpose shown', async (t) => {
  const consents = new ConsentStore(db.knex, clock);
  now = Date.parse('2026-12-05T09:00:00Z');
  await consents.give(account, 'hue-s', { granted: { scopes: ['openid', 'profile'], claims: [] }, refused: { scopes: ['phone'], claims: [] }, shown });
  now += 3_600_000;
  await db.knex.transaction((trx) => consents.withdraw(account, 'hue-s', trx));
  t.deepEqual(await consents.records(account, 'hue-s'), [
    { decision: 'given', granted: { scopes: ['openid', 'profile'], claims: [] }, refused: { scopes: ['phone'], claims: [] }, shown, decidedAt: new Date('2026-12-05T09:00:00Z') },
    { decision: 'withdrawn', granted: { scopes: ['openid', 'profile'], claims: [] }, refused: { scopes: ['phone'], claims: [] }, shown: {}, decidedAt: new Date('2026-12-05T10:00:00Z') },
  ]);
});

test.serial('the migration carries the consents of Grants in force into the consents table', async (t) => {
  const migration = { name: '202612020900_create_consents.ts' };
  const perDatum = { name: '202612051820_consent_per_datum.ts' };
  await db.knex.migrate.down(perDatum);
  await db.knex.migrate.down(migration);
  const grant = (id: string, clientId: string, scope: string, claims: string[], expiresAt: Date) => ({
    model: 'Grant', id, account_id: account, grant_id: null, expires_at: expiresAt,
    payload: JSON.stringify({ accountId: account, clientId, openid: { scope, claims }, kind: 'Grant', jti: id }),
  });
  await db.knex('oidc_models').insert([
    grant('g-live', 'cong-thue', 'openid profile', ['name'], new Date(Date.now() + 86_400_000)),
    grant('g-gone', 'cong-dat-dai', 'openid', [], new Date(Date.now() - 1000)),
    grant('g-id', 'cong-ho-tich', 'openid national_id', [], new Date(Date.now() + 86_400_000)),
  ]);
  await db.knex.migrate.up(migration);
  await db.knex.migrate.up(perDatum);
  const consents = new ConsentStore(db.knex, clock);
  t.deepEqual(await consents.find(account, 'cong-thue'), { scopes: ['openid', 'profile'], claims: ['name'], refused: none });
  t.deepEqual((await consents.find(account, 'cong-ho-tich'))?.scopes, ['national_id', 'openid', 'organization'], 'the personal number or tax code it was shown keeps covering the tax code');
  t.is((await consents.records(account, 'cong-thue')).length, 1, 'and it is recorded as given');
  t.is(await consents.find(account, 'cong-dat-dai'), undefined, 'an expired Grant is no consent in force');
});

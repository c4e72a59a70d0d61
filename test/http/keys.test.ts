import test from 'ava';
import { decodeProtectedHeader } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';
import { removeRetiredKeys, rotateKeys } from '../../src/oidc/keys.ts';

let now = Date.now();
const clock = { now: () => new Date(now) };
let server: TestServer;

test.before(async () => {
  server = await startTestServer({ clock });
});
test.after.always(async () => {
  await server?.stop();
});

async function publishedKids(): Promise<string[]> {
  const jwks = (await (await fetch(`${server.config.issuer}/jwks`)).json()) as { keys: Array<{ kid: string; d?: string }> };
  for (const key of jwks.keys) if ('d' in key) throw new Error('private key material published');
  return jwks.keys.map((key) => key.kid);
}

test.serial('first start creates ES256 and RS256 signing keys, stored encrypted', async (t) => {
  const jwks = (await (await fetch(`${server.config.issuer}/jwks`)).json()) as { keys: Array<{ alg: string; d?: string }> };
  t.deepEqual(jwks.keys.map((key) => key.alg).sort(), ['ES256', 'RS256']);
  t.true(jwks.keys.every((key) => key.d === undefined));
  const rows = await server.services.db.knex('keys').select('material_enc');
  t.is(rows.length, 3, 'two signing keys and one cookie key');
  for (const row of rows) t.false(row.material_enc.includes('"d"'));
});

test.serial('a rotated key is published first, signs after activation, and the old one is retired after its overlap', async (t) => {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();
  const signIn = async () => {
    const start = await startAuthorization(rp, { prompt: '' });
    const tokens = await completeFlow(rp, start, await signInThroughPages(agent, start, citizen.nationalId, citizen.password));
    return decodeProtectedHeader(tokens.id_token!).kid!;
  };
  const before = await publishedKids();
  const oldKid = await signIn();
  t.true(before.includes(oldKid));

  const rotation = await rotateKeys(server.services.db.knex, server.services.sealer, clock, {
    activationDelaySeconds: 300,
    signingOverlapSeconds: 3600,
    cookieOverlapSeconds: 86400,
  });
  t.true(await server.reloadKeys());
  const during = await publishedKids();
  t.is(during.length, 4, 'old and new keys both published');
  t.is(await signIn(), oldKid, 'the new key does not sign before every node has published it');

  now += 301 * 1000;
  t.true(await server.reloadKeys());
  const newKid = await signIn();
  t.not(newKid, oldKid);
  t.true(rotation.introduced.includes(newKid));
  t.true((await publishedKids()).includes(oldKid), 'the old key verifies what it signed until that expires');

  // The session cookie signed before the rotation is still accepted after it.
  const again = await startAuthorization(rp, { prompt: '' });
  const page = await agent.get(again.url.href, RP_CALLBACK);
  t.true(page.url.startsWith(RP_CALLBACK), 'still signed in');

  now += 3601 * 1000;
  t.true(await removeRetiredKeys(server.services.db.knex, clock) >= 2);
  await server.reloadKeys();
  const after = await publishedKids();
  t.false(after.includes(oldKid));
  t.true(after.includes(newKid));
});

test.serial('a rotation whose audit event cannot be written changes no key, and one that can is audited with it', async (t) => {
  const knex = server.services.db.knex;
  const keysBefore = await knex('keys').select('kid', 'retires_at').orderBy('kid');
  const timings = { activationDelaySeconds: 300, signingOverlapSeconds: 3600, cookieOverlapSeconds: 86400 };
  await t.throwsAsync(rotateKeys(knex, server.services.sealer, clock, timings, async (trx) => {
    await trx('audit_events').insert({ type: null });
  }));
  t.deepEqual(await knex('keys').select('kid', 'retires_at').orderBy('kid'), keysBefore, 'no key introduced, none retired');

  const rotation = await rotateKeys(knex, server.services.sealer, clock, timings, (trx, result) =>
    server.services.audit.recordIn(trx, { type: 'keys.rotated', details: { introduced: result.introduced.join(' '), removed: result.removed.join(' ') } }));
  const event = await knex('audit_events').where({ type: 'keys.rotated' }).orderBy('id', 'desc').first();
  t.truthy(event, 'the rotation is audited');
  t.is(await knex('keys').whereIn('kid', rotation.introduced).count({ n: '*' }).first().then((row) => Number(row!.n)), rotation.introduced.length);
});

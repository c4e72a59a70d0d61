import test from 'ava';
import { randomBytes } from 'node:crypto';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../helpers/server.ts';
import { createAdapterClass, storedModelId } from '../../src/oidc/adapter.ts';
import { ClientStore } from '../../src/oidc/clients.ts';
import { batched, readAhead, requestScope, rowsVersion, type RequestScopeSettings } from '../../src/db/index.ts';
import { Sealer } from '../../src/secrets/index.ts';

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
const ON: RequestScopeSettings = { deferWrites: true, readAhead: true };

/** Runs `work` as one HTTP request would, with `settings`. */
const asRequest = (work: () => Promise<void>, settings = ON) => requestScope(settings)({} as never, work);

const storedSession = (key: string) => db.knex('oidc_models').where({ model: 'Session', id: storedModelId(modelSealer, 'Session', key) }).first();

/** Statements whose bindings name one of `values`: other tests of this file run meanwhile. */
function statementsNaming(values: string[]): { sql: string[]; stop(): void } {
  const sql: string[] = [];
  const listen = (query: { sql: string; bindings?: unknown[] }) => {
    if (query.bindings?.some((binding) => values.includes(String(binding)))) sql.push(query.sql);
  };
  db.knex.on('query', listen);
  return { sql, stop: () => db.knex.off('query', listen) };
}

test('with deferred writes off, a request\'s write is in the database before the request ends', async (t) => {
  const sessions = new Adapter('Session');
  const [deferred, atOnce] = [id(), id()];
  await asRequest(async () => {
    await sessions.upsert(deferred, { uid: `uid-${deferred}` }, 60);
    t.is(await storedSession(deferred), undefined, 'on: held to the end of the request');
  });
  await asRequest(async () => {
    await sessions.upsert(atOnce, { uid: `uid-${atOnce}` }, 60);
    t.truthy(await storedSession(atOnce), 'off: written at once');
  }, { ...ON, deferWrites: false });
  t.truthy(await storedSession(deferred));
});

test('with rows read ahead off, a token\'s grant is read by a statement of its own', async (t) => {
  const tokens = new Adapter('RefreshToken');
  const grants = new Adapter('Grant');
  const [token, grant] = [id(), id()];
  await grants.upsert(grant, { accountId: 'a', clientId: 'c' }, 60);
  await tokens.upsert(token, { grantId: grant, accountId: 'a' }, 60);
  const counted = statementsNaming([storedModelId(modelSealer, 'RefreshToken', token), grant]);
  try {
    const readBoth = async () => {
      t.is((await tokens.find(token))?.grantId, grant);
      t.is((await grants.find(grant))?.clientId, 'c');
    };
    await asRequest(readBoth);
    t.is(counted.sql.length, 1, 'on: the grant came with the token');
    await asRequest(readBoth, { ...ON, readAhead: false });
    t.is(counted.sql.length, 3, 'off: one statement each');
  } finally {
    counted.stop();
  }
});

test('a write after its request\'s final flush throws instead of vanishing', async (t) => {
  const sessions = new Adapter('Session');
  for (const settings of [ON, { ...ON, deferWrites: false }]) {
    const key = id();
    let release!: () => void;
    let late!: Promise<void>;
    await asRequest(async () => {
      await sessions.upsert(id(), { uid: id() }, 60);
      // Work the request started and did not wait for: it runs in the request's context.
      late = new Promise<void>((resolve) => { release = resolve; }).then(() => sessions.upsert(key, { uid: `uid-${key}` }, 60));
    }, settings);
    release();
    await t.throwsAsync(late, { message: /after its request's final flush/ }, JSON.stringify(settings));
    t.is(await storedSession(key), undefined);
  }
});

test('a batch runs in no request\'s context: it keeps no row for the request that happened to start it', async (t) => {
  const probes = readAhead<string>('Probe');
  const probe = batched<string, void>(async (inputs) => {
    for (const input of inputs) probes.keep(input, 'kept by the batch', rowsVersion());
    return inputs.map(() => undefined);
  });
  const [first, second] = [id(), id()];
  const taken: unknown[] = [];
  await Promise.all([first, second].map((key) => asRequest(async () => {
    await probe(key);
    taken.push(probes.take(first), probes.take(second));
  })));
  t.deepEqual(taken, [undefined, undefined, undefined, undefined]);
});

// Seeds the benchmark's databases directly, with the app's own keys: accounts in bulk (one
// statement per batch of 10,000, identifiers sealed and HMAC-indexed by the app's Sealer on
// worker threads), and the relying party through the operator's registration path.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Services } from '../src/server.ts';
import { registerClient } from '../src/admin/register-client.ts';
import type { RegisteredClient } from '../src/oidc/clients.ts';
import { nationalIdOf } from './identities.ts';

export const REDIRECT_URI = 'https://rp.bench.invalid/callback';
const BATCH = 10_000;
/** Past this many rows, the secondary indexes are built once after the load instead of row by row. */
const REBUILD_INDEXES_FROM = 100_000;

/** Seals batches on one worker per core, at most two batches ahead of the database. */
function sealBatches(secretKey: Buffer, from: number, to: number): AsyncGenerator<string> {
  const workers = Array.from({ length: availableParallelism() }, () =>
    new Worker(new URL('./seal-worker.ts', import.meta.url), { workerData: { secretKey: secretKey.toString('hex') } }));
  const starts: number[] = [];
  for (let start = from; start < to; start += BATCH) starts.push(start);
  const seal = (index: number) => new Promise<string>((resolve, reject) => {
    const worker = workers[index % workers.length];
    const onMessage = (message: { id: number; rows: string }) => {
      if (message.id !== index) return;
      worker.off('message', onMessage).off('error', reject);
      resolve(message.rows);
    };
    worker.on('message', onMessage).once('error', reject);
    worker.postMessage({ id: index, from: starts[index], to: Math.min(starts[index] + BATCH, to) });
  });
  return (async function* () {
    const ahead = workers.length * 2;
    const pending = starts.slice(0, ahead).map((_, index) => seal(index));
    try {
      for (let index = 0; index < starts.length; index += 1) {
        const rows = await pending[index];
        if (index + ahead < starts.length) pending.push(seal(index + ahead));
        yield rows;
      }
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
    }
  })();
}

/**
 * Active citizens with serials [from, to), all with the one given password hash (hashing a
 * million passwords is not what is measured).
 */
export async function seedAccounts(services: Services, from: number, to: number, passwordHash: string): Promise<void> {
  const { knex } = services.db;
  // The table's own index definitions, read back so they are rebuilt exactly as migrated.
  const indexes: Array<{ indexname: string; indexdef: string }> = to - from >= REBUILD_INDEXES_FROM
    ? (await knex.raw(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'accounts'
        AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'accounts'::regclass)`)).rows
    : [];
  for (const { indexname } of indexes) await knex.raw('DROP INDEX ??', [indexname]);
  for await (const rows of sealBatches(services.secretKey, from, to)) {
    await knex.raw(
      `INSERT INTO accounts (id, type, status, national_id_kind, national_id_enc, national_id_hmac, phone_enc, phone_hmac,
         phone_verified, full_name, birthdate, gender, password_hash, password_changed_at)
       SELECT gen_random_uuid(), 'citizen', 'active', 'cccd', r.national_id_enc, r.national_id_hmac, r.phone_enc, r.phone_hmac,
         true, ?, r.birthdate, 'male', ?, now()
       FROM json_to_recordset(?::json) AS r(national_id_enc text, national_id_hmac text, phone_enc text, phone_hmac text, birthdate date)`,
      ['Nguyễn Văn An', passwordHash, rows],
    );
  }
  for (const { indexdef } of indexes) await knex.raw(indexdef);
  await knex.raw('ANALYZE accounts');
  // The app must find what was seeded, by the same lookup a sign-in uses.
  const probe = nationalIdOf(to - 1);
  const found = await services.accounts.findActiveByIdentifier({ nationalId: probe });
  if (found.length !== 1 || found[0].nationalId !== probe) throw new Error(`seeded account ${probe} is not found by the app`);
}

export async function seedClient(services: Services): Promise<RegisteredClient> {
  return registerClient(services, {
    name: 'Benchmark relying party',
    redirectUris: [REDIRECT_URI],
    postLogoutRedirectUris: [],
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    authMethod: 'client_secret_basic',
    purpose: 'Đo hiệu năng đăng nhập',
  }, 'bench');
}

// Seals and HMAC-indexes the identifiers of one batch of seeded accounts, with the app's
// Sealer, on a thread of its own: at tens of microseconds per value, sealing a million
// accounts on one thread would take longer than the whole benchmark.
import { parentPort, workerData } from 'node:worker_threads';
import { PURPOSE } from '../src/accounts/store.ts';
import { Sealer } from '../src/secrets/index.ts';
import { birthdateOf, nationalIdOf, phoneOf } from './identities.ts';

const sealer = new Sealer(Buffer.from(workerData.secretKey as string, 'hex'));

parentPort!.on('message', ({ id, from, to }: { id: number; from: number; to: number }) => {
  const rows = [];
  for (let serial = from; serial < to; serial += 1) {
    const nationalId = nationalIdOf(serial);
    const phone = phoneOf(serial);
    rows.push({
      national_id_enc: sealer.seal(nationalId, PURPOSE.nationalId),
      national_id_hmac: sealer.lookup(nationalId, PURPOSE.nationalId),
      phone_enc: sealer.seal(phone, PURPOSE.phone),
      phone_hmac: sealer.lookup(phone, PURPOSE.phone),
      birthdate: birthdateOf(serial),
    });
  }
  parentPort!.postMessage({ id, rows: JSON.stringify(rows) });
});

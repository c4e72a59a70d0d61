// Limits that many nodes count at once (SMS per phone and per address, registrations per
// address) hold only if counting and recording are one step: each transaction that counts
// takes the advisory lock of every key it counts, always in the same order (no deadlock),
// so two requests can never both see the last free place.
import type { Knex } from 'knex';

export async function lockQuotaKeys(trx: Knex.Transaction, keys: string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [key]);
}

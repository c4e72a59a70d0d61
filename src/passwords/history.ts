// Hue-S Art. 9.1, Smart-HaiDuong Art. 8.1: "không sử dụng lại mật khẩu đã sử dụng". Earlier
// passwords are kept only as argon2id hashes, so the only way to compare is to verify the new
// password against each one.
import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import { type Argon2Parameters, verifyPassword } from './hashing.ts';

/**
 * Whether `password` is one of the account's earlier passwords. `previousHashes` is newest
 * first, the current password's hash at index 0, so `depth` n means "the last n passwords".
 *
 * One verification at m=19 MiB, t=2 takes a few tens of milliseconds, so 40 one after
 * another take about a second. argon2 runs on libuv's thread pool, so they run side by side,
 * one lane per core: more lanes than cores would only queue, ahead of the sign-ins of other
 * people whose verifications wait in the same pool, and with lanes nothing further is started
 * once a match is found.
 */
export async function isReused(password: string, previousHashes: readonly string[], depth: number | 'all'): Promise<boolean> {
  const hashes = depth === 'all' ? previousHashes : previousHashes.slice(0, depth);
  let next = 0;
  let found = false;
  const lane = async (): Promise<void> => {
    while (!found && next < hashes.length) {
      const hash = hashes[next++];
      if (await verifyPassword(hash, password)) found = true;
    }
  };
  const lanes = Math.min(hashes.length, availableParallelism());
  await Promise.all(Array.from({ length: lanes }, lane));
  return found;
}

/**
 * Whether a stored hash was made with other parameters than the configured ones (or another
 * argon2 variant), so it is re-hashed at the next successful sign-in while the password is at
 * hand. A hash that cannot be read is reported as needing it too.
 */
export function needsRehash(hash: string, params: Argon2Parameters): boolean {
  if (!hash.startsWith('$argon2id$')) return true;
  try {
    return argon2.needsRehash(hash, params);
  } catch {
    return true;
  }
}

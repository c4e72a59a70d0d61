// argon2id password hashing. argon2 runs on libuv's thread pool, never on the event loop.
import argon2 from 'argon2';

/** argon2id cost (RFC 9106 §4); set by ARGON2_* (config.ts). */
export interface Argon2Parameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export async function hashPassword(password: string, params: Argon2Parameters): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...params });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * A hash to verify against when the identifier matches no account, so a wrong identifier
 * costs the same time as a wrong password and timing tells nothing (OWASP ASVS 2.2).
 */
export function createDecoyVerifier(params: Argon2Parameters): (password: string) => Promise<void> {
  let decoy: Promise<string> | undefined;
  return async (password) => {
    decoy ??= hashPassword(`decoy:${Math.random()}`, params);
    await verifyPassword(await decoy, password);
  };
}

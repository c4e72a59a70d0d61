export { hashPassword, verifyPassword, createDecoyVerifier, type Argon2Parameters } from './hashing.ts';
export {
  checkPassword,
  defaultPasswordPolicy,
  type PasswordPolicy,
  type PasswordRule,
  type PersonalData,
} from './policy.ts';
export { passwordStatus, type PasswordStatus } from './expiry.ts';
export { isReused, needsRehash } from './history.ts';
export { parsePasswordPolicy } from './config.ts';
export { type Attempt, type CountedKey, type CountingSql, type LockoutSettings, SignInLockout, type ThrottleKey, countedOf } from './lockout.ts';

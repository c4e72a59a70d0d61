export { hashPassword, verifyPassword, createDecoyVerifier } from './hashing.ts';
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

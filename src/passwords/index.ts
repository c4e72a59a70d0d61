export { hashPassword, verifyPassword, createDecoyVerifier } from './hashing.ts';
export { checkPassword, defaultPasswordPolicy, type PasswordPolicy, type PasswordRule } from './policy.ts';

export { hashPassword, verifyPassword, createDecoyVerifier } from './hashing.ts';

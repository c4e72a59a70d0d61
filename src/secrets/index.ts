export { Sealer } from './sealer.ts';
export { resolveSecretKey } from './secret-key.ts';

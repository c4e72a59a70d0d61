export { accountOfRevokedGrant, revokeAccountSessions, sweepExpiredModels } from './adapter.ts';
export { sendBackchannelLogouts } from './backchannel-logout.ts';
export { PROTOCOL_CLAIMS } from './claims.ts';
export { type ClientMetadataField, checkClientMetadata } from './client-metadata.ts';
export { type ClientAuthMethod, ClientStore, type NewClient, type RegisteredClient, buildClientMetadata, newClientSecret } from './clients.ts';
export { ACR, TTL, levelToReach } from './configuration.ts';
export { ConsentStore } from './consents.ts';
export { type KeySet, ensureKeys, loadKeys, removeRetiredKeys, rotateKeys } from './keys.ts';
export { createProvider, type ProviderDeps } from './provider.ts';

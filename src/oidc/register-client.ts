import type { Services } from '../server.ts';
import { createProvider } from '../app.ts';
import { ensureKeys, loadKeys } from './keys.ts';
import { buildClientMetadata, newClientSecret, type NewClient, type RegisteredClient } from './clients.ts';

export class InvalidClientError extends Error {
  constructor(detail: string) {
    super(`invalid client: ${detail}`);
    this.name = 'InvalidClientError';
  }
}

/**
 * Registers a relying party after checking it against the provider's own metadata rules
 * (OpenID Connect Dynamic Client Registration §2), so nothing invalid is ever stored.
 */
export async function registerClient(services: Services, input: NewClient, via: string): Promise<RegisteredClient> {
  const metadata = buildClientMetadata(input);
  const secret = newClientSecret(input.authMethod);
  const { db, sealer, clock } = services;
  await ensureKeys(db.knex, sealer, clock);
  const provider = createProvider({ ...services, knex: db.knex, keys: await loadKeys(db.knex, sealer, clock) });
  try {
    await provider.Client.validate({ ...metadata, ...(secret ? { client_secret: secret } : {}) });
  } catch (error) {
    throw new InvalidClientError((error as { error_description?: string }).error_description ?? (error as Error).message);
  }
  const registered = await services.clients.insert(metadata, secret);
  await services.audit.record({ type: 'client.created', clientId: registered.client_id, details: { name: input.name, via } });
  return registered;
}

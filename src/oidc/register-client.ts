import type { Services } from '../server.ts';
import { createProvider } from '../app.ts';
import { ensureKeys, loadKeys } from './keys.ts';
import { buildClientMetadata, newClientSecret, type NewClient, type RegisteredClient } from './clients.ts';
import { checkClientMetadata, type ClientMetadataField } from './client-metadata.ts';

export class InvalidClientError extends Error {
  /** The RFC 7591 metadata name at fault, when known (oidc-provider's own checks do not say). */
  readonly field: ClientMetadataField | undefined;
  readonly detail: string;

  constructor(field: ClientMetadataField | undefined, detail: string) {
    super(field === undefined ? `invalid client: ${detail}` : `invalid client: ${field} ${detail}`);
    this.name = 'InvalidClientError';
    this.field = field;
    this.detail = detail;
  }
}

/**
 * Registers a relying party after checking it against the province's rules (client-metadata.ts)
 * and the provider's own metadata rules (OpenID Connect Dynamic Client Registration §2), so
 * nothing invalid is ever stored.
 */
export async function registerClient(services: Services, input: NewClient, via: string): Promise<RegisteredClient> {
  const checked = checkClientMetadata(input);
  if (!checked.ok) throw new InvalidClientError(checked.problem.field, checked.problem.detail);
  const metadata = buildClientMetadata(checked.value);
  const secret = newClientSecret(input.authMethod);
  const { db, sealer, clock } = services;
  await ensureKeys(db.knex, sealer, clock);
  const provider = createProvider({ ...services, knex: db.knex, keys: await loadKeys(db.knex, sealer, clock) });
  try {
    await provider.Client.validate({ ...metadata, ...(secret ? { client_secret: secret } : {}) });
  } catch (error) {
    throw new InvalidClientError(undefined, (error as { error_description?: string }).error_description ?? (error as Error).message);
  }
  const registered = await services.clients.insert(metadata, secret);
  await services.audit.record({ type: 'client.created', clientId: registered.client_id, details: { name: checked.value.name, via } });
  return registered;
}

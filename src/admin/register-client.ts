// Registering a relying party, by an operator (cli.ts client:create; next, the admin console).
import type { ClientMetadata } from 'oidc-provider';
import type { Database } from '../db/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { AgencyStore } from '../accounts/index.ts';
import {
  buildClientMetadata,
  checkClientMetadata,
  createProvider,
  ensureKeys,
  loadKeys,
  newClientSecret,
  type ClientMetadataField,
  type NewClient,
  type ProviderDeps,
  type RegisteredClient,
} from '../oidc/index.ts';

/** What registering a client needs of the services (server.ts's Services has it). */
export interface RegisterClientDeps extends Pick<ProviderDeps, 'config' | 'sealer' | 'accounts' | 'clients' | 'clock'> {
  db: Database;
  audit: AuditLog;
}

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

/** A client that passed every check, ready to store: its metadata and its secret (shown once). */
export interface ValidatedClient {
  metadata: ClientMetadata;
  secret: string | undefined;
  name: string;
}

/**
 * Checks a relying party against the province's rules (client-metadata.ts) and the provider's
 * own metadata rules (OpenID Connect Dynamic Client Registration §2), so nothing invalid is
 * ever stored. `extra` adds metadata the form of the request gathered (its logo, contacts, the
 * purpose shown to citizens and the operating agency).
 */
export async function validateNewClient(services: RegisterClientDeps, input: NewClient, extra: Record<string, unknown> = {}): Promise<ValidatedClient> {
  const checked = checkClientMetadata(input);
  if (!checked.ok) throw new InvalidClientError(checked.problem.field, checked.problem.detail);
  const { db, sealer, clock } = services;
  // An agency is data an operator adds on purpose (agency:create): a misspelt name must not
  // create a second one that citizens would read as the app's operator.
  const agencyName = checked.value.agency;
  const agency = agencyName === undefined ? undefined : await new AgencyStore(db.knex).findByName(agencyName);
  if (agencyName !== undefined && !agency) throw new InvalidClientError('agency', `"${agencyName}" is not a known agency: add it first (agency:create --name …), or check its spelling`);
  const metadata = { ...buildClientMetadata(checked.value, agency?.id), ...extra };
  const secret = newClientSecret(input.authMethod);
  await ensureKeys(db.knex, sealer, clock);
  const provider = createProvider({ ...services, knex: db.knex, keys: await loadKeys(db.knex, sealer, clock) });
  try {
    await provider.Client.validate({ ...metadata, ...(secret ? { client_secret: secret } : {}) });
  } catch (error) {
    throw new InvalidClientError(undefined, (error as { error_description?: string }).error_description ?? (error as Error).message);
  }
  return { metadata, secret, name: checked.value.name };
}

/** Registers a relying party, active at once, after validateNewClient. */
export async function registerClient(services: RegisterClientDeps, input: NewClient, via: string): Promise<RegisteredClient> {
  const { metadata, secret, name } = await validateNewClient(services, input);
  const registered = await services.clients.insert(metadata, secret);
  await services.audit.record({ type: 'client.created', clientId: registered.client_id, details: { name, via } });
  return registered;
}

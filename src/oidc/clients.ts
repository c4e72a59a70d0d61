// Relying parties live in the `clients` table; their secrets only encrypted.
// Registration output follows RFC 7591 §3.2.1 so integrators read familiar names.
import { randomBytes } from 'node:crypto';
import type { AdapterPayload, ClientMetadata } from 'oidc-provider';
import type { Knex } from '../db/index.ts';
import type { Sealer } from '../secrets/index.ts';
import { t, type Locale, type MessageKey } from '../i18n/index.ts';
import type { CheckedClient } from './client-metadata.ts';

const SECRET_PURPOSE = 'clients.client_secret';
const CACHE_MS = 5_000;

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

export interface NewClient {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: string[];
  authMethod: ClientAuthMethod;
  jwksUri?: string;
  backchannelLogoutUri?: string;
  scope?: string;
  applicationType?: 'web' | 'native';
  /** Pairwise unless `public` is asked for, with `publicSubjectReason` (client-metadata.ts checkSubject). */
  subjectType?: 'pairwise' | 'public';
  publicSubjectReason?: string;
  sectorIdentifierUri?: string;
  /** Why the app processes personal data, shown to citizens on the consent page (Decree 13/2023 Art. 11). */
  purpose?: string;
  /** The name of the agency that operates the app (`agencies` table). */
  agency?: string;
}

export interface RegisteredClient extends ClientMetadata {
  client_id: string;
  client_secret?: string;
  client_id_issued_at: number;
  client_secret_expires_at?: number;
}

/**
 * The province's own client metadata (oidc-provider `extraClientMetadata`, checked in
 * configuration.ts): the purpose shown to citizens, the operating agency's id, and why a client
 * sees public subjects.
 */
export const EXTRA_CLIENT_METADATA = ['purpose', 'agency_id', 'public_subject_reason'] as const;

/** Metadata for a client that passed checkClientMetadata (client-metadata.ts), its agency's id resolved from its name. */
export function buildClientMetadata(input: CheckedClient, agencyId?: string): ClientMetadata {
  const { grantTypes } = input;
  const metadata: ClientMetadata = {
    client_id: `xt_${randomBytes(12).toString('base64url')}`,
    client_name: input.name,
    application_type: input.applicationType ?? 'web',
    redirect_uris: input.redirectUris,
    post_logout_redirect_uris: input.postLogoutRedirectUris,
    grant_types: grantTypes,
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: input.authMethod,
  };
  if (input.jwksUri) metadata.jwks_uri = input.jwksUri;
  if (input.backchannelLogoutUri) {
    metadata.backchannel_logout_uri = input.backchannelLogoutUri;
    metadata.backchannel_logout_session_required = true;
  }
  // oidc-provider refuses a scope outside this list with invalid_scope (lib/actions/authorization/scopes.js).
  metadata.scope = input.scope;
  if (input.subjectType) metadata.subject_type = input.subjectType;
  if (input.publicSubjectReason) metadata.public_subject_reason = input.publicSubjectReason;
  if (input.sectorIdentifierUri) metadata.sector_identifier_uri = input.sectorIdentifierUri;
  if (input.purpose) metadata.purpose = input.purpose;
  if (agencyId) metadata.agency_id = agencyId;
  return metadata;
}

/** A new client secret, for the methods that use one: 256 random bits. */
export function newClientSecret(method: ClientAuthMethod): string | undefined {
  return method === 'client_secret_basic' || method === 'client_secret_post' ? randomBytes(32).toString('base64url') : undefined;
}

/**
 * Clients of xacthuc's own making, signing people in to xacthuc's own pages (the operator
 * console): the province is both sides of the agreement, so no consent is asked for them
 * (configuration.ts loadExistingGrant). Every other client is a third party whose requests the
 * person approves.
 */
export const FIRST_PARTY_CLIENTS: ReadonlyMap<string, MessageKey> = new Map([['xacthuc-console', 'console.title']]);

/** The name a page shows for a client: a first-party client's in the page's language, else its registered name. */
export function clientNameIn(locale: Locale, clientId: string, registeredName: string | undefined): string | undefined {
  const own = FIRST_PARTY_CLIENTS.get(clientId);
  return own ? t(locale, own) : registeredName;
}

export class ClientStore {
  readonly #knex: Knex;
  readonly #sealer: Sealer;
  readonly #cache = new Map<string, { at: number; value: AdapterPayload | undefined }>();

  constructor(knex: Knex, sealer: Sealer) {
    this.#knex = knex;
    this.#sealer = sealer;
  }

  /** Stores a validated client; returns the registration response with the secret, shown this once. */
  async insert(metadata: ClientMetadata, secret: string | undefined): Promise<RegisteredClient> {
    const issuedAt = Math.floor(Date.now() / 1000);
    await this.#knex('clients').insert({
      client_id: metadata.client_id,
      metadata: JSON.stringify(metadata),
      client_secret_enc: secret ? this.#sealer.seal(secret, SECRET_PURPOSE) : null,
    });
    return {
      ...metadata,
      client_id: metadata.client_id,
      ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
      client_id_issued_at: issuedAt,
    };
  }

  /**
   * Stores a client of xacthuc's own (FIRST_PARTY_CLIENTS) as `metadata`, replacing what was
   * stored: its redirect URIs follow ISSUER, which may change between starts. No secret: such
   * clients are public and use PKCE.
   */
  async putFirstParty(metadata: ClientMetadata & { client_id: string }): Promise<void> {
    if (!FIRST_PARTY_CLIENTS.has(metadata.client_id)) throw new Error(`${metadata.client_id} is not a first-party client`);
    await this.#knex('clients')
      .insert({ client_id: metadata.client_id, metadata: JSON.stringify(metadata), client_secret_enc: null })
      .onConflict('client_id')
      .merge({ metadata: JSON.stringify(metadata), updated_at: this.#knex.fn.now() });
    this.#cache.delete(metadata.client_id);
  }

  /**
   * Replaces the scopes a client may ask for (admin/service-clients.ts grants the admin API's).
   * Returns false when there is no such client.
   */
  async setScope(clientId: string, scope: string): Promise<boolean> {
    const updated = await this.#knex('clients')
      .where({ client_id: clientId })
      .update({ metadata: this.#knex.raw("jsonb_set(metadata, '{scope}', to_jsonb(?::text))", [scope]), updated_at: this.#knex.fn.now() });
    this.#cache.delete(clientId);
    return updated > 0;
  }

  /** A client's stored metadata (no secret), or undefined. */
  async metadataOf(clientId: string): Promise<ClientMetadata | undefined> {
    const row = await this.#knex('clients').select('metadata').where({ client_id: clientId }).first();
    return row?.metadata;
  }

  /**
   * Metadata for oidc-provider, secret decrypted. Cached briefly: a token request looks
   * its client up once per request, and client changes are rare operator actions.
   */
  async findMetadata(clientId: string): Promise<AdapterPayload | undefined> {
    if (clientId.includes('\u0000')) return undefined;
    const cached = this.#cache.get(clientId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
    const row = await this.#knex('clients').select('metadata', 'client_secret_enc').where({ client_id: clientId }).first();
    const value: AdapterPayload | undefined = row
      ? { ...row.metadata, ...(row.client_secret_enc ? { client_secret: this.#sealer.open(row.client_secret_enc, SECRET_PURPOSE) } : {}) }
      : undefined;
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(clientId, { at: Date.now(), value });
    return value;
  }
}

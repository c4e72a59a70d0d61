// Relying parties live in the `clients` table; their secrets only encrypted.
// Registration output follows RFC 7591 §3.2.1 so integrators read familiar names.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Provider, type AdapterPayload, type ClientMetadata } from 'oidc-provider';
import { batched, type Knex } from '../db/index.ts';
import type { Sealer } from '../secrets/index.ts';
import { t, type Locale, type MessageKey } from '../i18n/index.ts';
import type { CheckedClient } from './client-metadata.ts';
import { systemClock, type Clock } from '../clock.ts';

const SECRET_PURPOSE = 'clients.client_secret';

/**
 * `pending`: registered through RFC 7591 and awaiting review; `active`; `disabled` by an
 * operator. Only an active client signs anyone in or gets a token (handedToProvider).
 */
export type ClientStatus = 'pending' | 'active' | 'disabled';

/** What an operator sees of a client in a list. */
export interface ClientSummary {
  clientId: string;
  name: string;
  status: ClientStatus;
  agencyId: string | null;
  createdAt: Date;
  previousSecretExpiresAt: Date | null;
}

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

/** oidc-provider's routes of RFC 7592 client management: the registrant reads or changes its registration. */
const MANAGEMENT_ROUTES = new Set(['client', 'client_update', 'client_delete']);
/** Routes where a client that is no longer active may still authenticate: to be told its tokens are inactive. */
const WIND_DOWN_ROUTES = new Set(['introspection', 'revocation']);

/**
 * Whether oidc-provider is given a client of `status` on `route` (its route name, undefined
 * outside its routes). Any other answer is "no such client": authorization requests get the
 * error page, token requests `invalid_client`. A pending client is there for its registrant's
 * RFC 7592 calls; a disabled one only to introspect and revoke, where every token of it is
 * already gone (adapter.ts revokeClientTokens), so its resource servers hear "inactive" at once.
 */
export function handedToProvider(status: ClientStatus, route: string | undefined): boolean {
  if (status === 'active') return true;
  if (route === undefined) return false;
  if (status === 'pending') return MANAGEMENT_ROUTES.has(route) || WIND_DOWN_ROUTES.has(route);
  return WIND_DOWN_ROUTES.has(route);
}

interface ClientRow {
  client_id: string;
  metadata: ClientMetadata;
  client_secret_enc: string | null;
  status: ClientStatus;
  previous_secret_enc: string | null;
  previous_secret_expires_at: Date | null;
}

const ROW_COLUMNS = ['client_id', 'metadata', 'client_secret_enc', 'status', 'previous_secret_enc', 'previous_secret_expires_at'] as const;

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class ClientStore {
  readonly #knex: Knex;
  readonly #sealer: Sealer;
  readonly #clock: Clock;
  /**
   * A client's row is read afresh for every request, never kept between requests: a client an
   * operator disabled, or whose secret was rotated, on one node is refused or accepted alike
   * on every node at once (no node may keep serving it for a cache's lifetime). Within one
   * oidc-provider request the row is read once however often the library looks the client up,
   * and the reads of concurrent requests share one statement (db/batch.ts).
   */
  readonly #read: (clientId: string) => Promise<ClientRow | undefined>;
  readonly #perRequest = new WeakMap<object, Map<string, Promise<ClientRow | undefined>>>();

  constructor(knex: Knex, sealer: Sealer, clock: Clock = systemClock) {
    this.#knex = knex;
    this.#sealer = sealer;
    this.#clock = clock;
    this.#read = batched(async (ids: string[]) => {
      const rows: ClientRow[] = await knex('clients').select(...ROW_COLUMNS).whereRaw('client_id = ANY(CAST(? AS text[]))', [[...new Set(ids)]]);
      const byId = new Map(rows.map((row) => [row.client_id, row]));
      return ids.map((id) => byId.get(id));
    });
  }

  #row(clientId: string): Promise<ClientRow | undefined> {
    const ctx = Provider.ctx;
    if (!ctx) return this.#read(clientId);
    let rows = this.#perRequest.get(ctx);
    if (!rows) this.#perRequest.set(ctx, (rows = new Map()));
    let row = rows.get(clientId);
    if (!row) rows.set(clientId, (row = this.#read(clientId)));
    return row;
  }

  /** This request changed the client: its next look-up reads the row again. */
  #changed(clientId: string): void {
    const ctx = Provider.ctx;
    if (ctx) this.#perRequest.get(ctx)?.delete(clientId);
  }

  /** Stores a validated client; returns the registration response with the secret, shown this once. */
  async insert(metadata: ClientMetadata, secret: string | undefined, status: ClientStatus = 'active', trx: Knex = this.#knex): Promise<RegisteredClient> {
    const issuedAt = Math.floor(this.#clock.now().getTime() / 1000);
    await trx('clients').insert({
      client_id: metadata.client_id,
      metadata: JSON.stringify(metadata),
      client_secret_enc: secret ? this.#sealer.seal(secret, SECRET_PURPOSE) : null,
      status,
    });
    return {
      ...metadata,
      client_id: metadata.client_id,
      ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
      client_id_issued_at: issuedAt,
    };
  }

  /**
   * What oidc-provider stores through the adapter: a client registered through RFC 7591 (new:
   * pending until a reviewer approves it), or its registrant's RFC 7592 update, taken only
   * while it is still pending. The secret oidc-provider made is kept encrypted, apart from the
   * metadata. Returns false, storing nothing, when the client exists and is no longer pending.
   */
  async putRegistered(metadata: AdapterPayload & { client_id: string }): Promise<boolean> {
    const { client_secret: secret, ...rest } = metadata;
    const sealed = typeof secret === 'string' && secret !== '' ? this.#sealer.seal(secret, SECRET_PURPOSE) : null;
    this.#changed(metadata.client_id);
    const existing = await this.#knex('clients').select('status').where({ client_id: metadata.client_id }).first();
    if (!existing) {
      await this.#knex('clients').insert({ client_id: metadata.client_id, metadata: JSON.stringify(rest), client_secret_enc: sealed, status: 'pending' });
      return true;
    }
    const updated = await this.#knex('clients')
      .where({ client_id: metadata.client_id, status: 'pending' })
      .update({ metadata: JSON.stringify(rest), client_secret_enc: sealed, updated_at: this.#knex.fn.now() });
    return updated > 0;
  }

  /** Removes a registration still pending (its registrant withdrew it, RFC 7592 §2.3); false when there is none. */
  async removePending(clientId: string): Promise<boolean> {
    this.#changed(clientId);
    // Counted by what it returns: the embedded driver answers a bare delete with its raw result.
    const removed = await this.#knex('clients').where({ client_id: clientId, status: 'pending' }).delete().returning('client_id');
    return removed.length > 0;
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
    this.#changed(metadata.client_id);
  }

  /**
   * Replaces the scopes a client may ask for (admin/service-clients.ts grants the admin API's).
   * Returns false when there is no such client.
   */
  async setScope(clientId: string, scope: string): Promise<boolean> {
    return this.setMetadataFields(clientId, { scope });
  }

  /** Sets top-level metadata fields (RFC 7591 names, or the province's own); false when there is no such client. */
  async setMetadataFields(clientId: string, fields: Record<string, unknown>, trx: Knex = this.#knex): Promise<boolean> {
    const updated = await trx('clients')
      .where({ client_id: clientId })
      .update({ metadata: trx.raw('metadata || CAST(? AS jsonb)', [JSON.stringify(fields)]), updated_at: trx.fn.now() });
    this.#changed(clientId);
    return updated > 0;
  }

  /** Changes a client's status; `from` limits it to clients in one of those. False when nothing changed. */
  async setStatus(clientId: string, status: ClientStatus, from: readonly ClientStatus[], trx: Knex = this.#knex): Promise<boolean> {
    if (FIRST_PARTY_CLIENTS.has(clientId)) return false;
    const updated = await trx('clients').where({ client_id: clientId }).whereIn('status', [...from]).update({ status, updated_at: trx.fn.now() });
    this.#changed(clientId);
    return updated > 0;
  }

  /**
   * A new secret for a client that has one; the current one keeps working until
   * `overlapSeconds` from now (previousSecretMatches), then only the new one does. A secret
   * still in its overlap from an earlier rotation stops at once. Undefined when the client
   * has no secret (public, private_key_jwt) or does not exist.
   */
  async rotateSecret(clientId: string, overlapSeconds: number, trx: Knex = this.#knex): Promise<{ secret: string; previousExpiresAt: Date } | undefined> {
    if (FIRST_PARTY_CLIENTS.has(clientId)) return undefined;
    const row = await trx('clients').select('client_secret_enc').where({ client_id: clientId }).forUpdate().first();
    if (!row?.client_secret_enc) return undefined;
    const secret = randomBytes(32).toString('base64url');
    const previousExpiresAt = new Date(this.#clock.now().getTime() + overlapSeconds * 1000);
    await trx('clients').where({ client_id: clientId }).update({
      client_secret_enc: this.#sealer.seal(secret, SECRET_PURPOSE),
      previous_secret_enc: row.client_secret_enc,
      previous_secret_expires_at: previousExpiresAt,
      updated_at: trx.fn.now(),
    });
    this.#changed(clientId);
    return { secret, previousExpiresAt };
  }

  /** Whether `actual` is the client's previous secret, still within its overlap after a rotation. */
  async previousSecretMatches(clientId: string, actual: string): Promise<boolean> {
    const row = await this.#row(clientId);
    if (!row?.previous_secret_enc || !row.previous_secret_expires_at) return false;
    if (this.#clock.now().getTime() >= new Date(row.previous_secret_expires_at).getTime()) return false;
    return sameSecret(this.#sealer.open(row.previous_secret_enc, SECRET_PURPOSE), actual);
  }

  /** A client's stored metadata (no secret), or undefined. */
  async metadataOf(clientId: string): Promise<ClientMetadata | undefined> {
    const row = await this.#knex('clients').select('metadata').where({ client_id: clientId }).first();
    return row?.metadata;
  }

  /** A client's status, or undefined when there is no such client. */
  async statusOf(clientId: string): Promise<ClientStatus | undefined> {
    if (clientId.includes('\u0000') || clientId.length > 200) return undefined;
    return (await this.#row(clientId))?.status;
  }

  /** A client as an operator sees it, or undefined (xacthuc's own are not the operators' to change). */
  async summary(clientId: string): Promise<(ClientSummary & { metadata: ClientMetadata }) | undefined> {
    if (clientId.includes('\u0000') || clientId.length > 200 || FIRST_PARTY_CLIENTS.has(clientId)) return undefined;
    const row = await this.#knex('clients')
      .select('client_id', 'metadata', 'status', 'created_at', 'previous_secret_expires_at')
      .where({ client_id: clientId })
      .first();
    return row ? { ...summaryOf(row), metadata: row.metadata } : undefined;
  }

  /** Every client but xacthuc's own, newest first; only `agencyId`'s when given. */
  async list(options: { agencyId?: string; status?: ClientStatus } = {}): Promise<ClientSummary[]> {
    const query = this.#knex('clients')
      .select('client_id', 'metadata', 'status', 'created_at', 'previous_secret_expires_at')
      .whereNotIn('client_id', [...FIRST_PARTY_CLIENTS.keys()])
      .orderBy('created_at', 'desc')
      .limit(500);
    if (options.agencyId !== undefined) query.whereRaw("metadata->>'agency_id' = ?", [options.agencyId]);
    if (options.status !== undefined) query.where({ status: options.status });
    return (await query).map(summaryOf);
  }

  /**
   * Metadata for oidc-provider, secret decrypted, when handedToProvider allows it on the
   * route of the request asking (`route`).
   */
  async findMetadata(clientId: string, route?: string): Promise<AdapterPayload | undefined> {
    if (clientId.includes('\u0000')) return undefined;
    const row = await this.#row(clientId);
    if (!row || !handedToProvider(row.status, route)) return undefined;
    return { ...row.metadata, ...(row.client_secret_enc ? { client_secret: this.#sealer.open(row.client_secret_enc, SECRET_PURPOSE) } : {}) };
  }
}

function summaryOf(row: { client_id: string; metadata: ClientMetadata; status: ClientStatus; created_at: Date; previous_secret_expires_at: Date | null }): ClientSummary {
  const agency = row.metadata.agency_id;
  return {
    clientId: row.client_id,
    name: String(row.metadata.client_name ?? row.client_id),
    status: row.status,
    agencyId: typeof agency === 'string' ? agency : null,
    createdAt: new Date(row.created_at),
    previousSecretExpiresAt: row.previous_secret_expires_at ? new Date(row.previous_secret_expires_at) : null,
  };
}

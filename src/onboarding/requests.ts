// Integration requests (SPEC R9; Hue-S Art. 15.2): what an organization account or an agency's
// operator asked for, or what a dynamic registration (RFC 7591) registered, until a reviewer
// approves or rejects it. The tables `integration_requests`, `client_logos` and
// `initial_access_tokens` are this module's.
import { randomUUID } from 'node:crypto';
import type { Knex } from '../db/index.ts';
import type { Clock } from '../clock.ts';
import type { Sealer } from '../secrets/index.ts';
import type { CheckedLogo } from './logo.ts';
import type { IntegrationRequestFields } from './request-form.ts';

export type IntegrationRequestStatus = 'pending' | 'approved' | 'rejected';
/** page: the request form (an organization account, or an operator in the console); registration: RFC 7591. */
export type IntegrationRequestSource = 'page' | 'registration';

export interface IntegrationRequest {
  id: string;
  status: IntegrationRequestStatus;
  source: IntegrationRequestSource;
  requesterAccountId: string | null;
  agencyId: string | null;
  fields: IntegrationRequestFields;
  /** The logo's path on xacthuc (`/assets/client-logo/…`), when one was uploaded. */
  logoPath: string | null;
  /** The client registered: at approval for a page's request, at once (pending) for a registration. */
  clientId: string | null;
  reviewerAccountId: string | null;
  decidedAt: Date | null;
  rejectionReason: string | null;
  createdAt: Date;
}

export interface Agency {
  id: string;
  name: string;
}

export const CLIENT_LOGO_PATH = '/assets/client-logo/';
const TOKEN_PURPOSE = 'onboarding.initial_access_token';

interface Row {
  id: string;
  status: IntegrationRequestStatus;
  source: IntegrationRequestSource;
  requester_account_id: string | null;
  agency_id: string | null;
  fields: IntegrationRequestFields;
  logo_name: string | null;
  client_id: string | null;
  reviewer_account_id: string | null;
  decided_at: Date | null;
  rejection_reason: string | null;
  created_at: Date;
}

function fromRow(row: Row): IntegrationRequest {
  return {
    id: row.id,
    status: row.status,
    source: row.source,
    requesterAccountId: row.requester_account_id,
    agencyId: row.agency_id,
    fields: row.fields,
    logoPath: row.logo_name ? `${CLIENT_LOGO_PATH}${row.logo_name}` : null,
    clientId: row.client_id,
    reviewerAccountId: row.reviewer_account_id,
    decidedAt: row.decided_at ? new Date(row.decided_at) : null,
    rejectionReason: row.rejection_reason,
    createdAt: new Date(row.created_at),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class IntegrationRequests {
  readonly #knex: Knex;
  readonly #clock: Clock;
  readonly #sealer: Sealer;

  constructor(knex: Knex, sealer: Sealer, clock: Clock) {
    this.#knex = knex;
    this.#sealer = sealer;
    this.#clock = clock;
  }

  /** Stores a request with its logo (kept once per content). Gives its id. */
  async submit(input: { source: IntegrationRequestSource; requesterAccountId: string | null; agencyId: string | null; fields: IntegrationRequestFields; logo?: CheckedLogo; clientId?: string }): Promise<string> {
    const id = randomUUID();
    await this.#knex.transaction(async (trx) => {
      if (input.logo) {
        await trx('client_logos').insert({ name: input.logo.name, content_type: input.logo.contentType, body: input.logo.body }).onConflict('name').ignore();
      }
      await trx('integration_requests').insert({
        id,
        status: 'pending',
        source: input.source,
        requester_account_id: input.requesterAccountId,
        agency_id: input.agencyId,
        fields: JSON.stringify(input.fields),
        logo_name: input.logo?.name ?? null,
        client_id: input.clientId ?? null,
        created_at: this.#clock.now(),
      });
    });
    return id;
  }

  async find(id: string): Promise<IntegrationRequest | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await this.#knex('integration_requests').where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  /** The request a dynamic registration made for `clientId`. */
  async findByClient(clientId: string): Promise<IntegrationRequest | undefined> {
    const row = await this.#knex('integration_requests').where({ client_id: clientId }).orderBy('created_at', 'desc').first();
    return row ? fromRow(row) : undefined;
  }

  /** Requests, newest first: `status`'s only, `agencyId`'s only, `requester`'s only, as given. */
  async list(filter: { status?: IntegrationRequestStatus; agencyId?: string; requesterAccountId?: string } = {}): Promise<IntegrationRequest[]> {
    const query = this.#knex('integration_requests').orderBy('created_at', 'desc').limit(500);
    if (filter.status) query.where({ status: filter.status });
    if (filter.agencyId) query.where({ agency_id: filter.agencyId });
    if (filter.requesterAccountId) query.where({ requester_account_id: filter.requesterAccountId });
    return (await query).map(fromRow);
  }

  /**
   * Records the decision on a request still pending, in `trx`. False when it was decided
   * meanwhile (another reviewer, another node): nothing is changed then.
   */
  async decide(trx: Knex.Transaction, id: string, decision: { status: 'approved'; clientId: string } | { status: 'rejected'; reason: string }, reviewerAccountId: string | null): Promise<boolean> {
    const updated = await trx('integration_requests')
      .where({ id, status: 'pending' })
      .update({
        status: decision.status,
        reviewer_account_id: reviewerAccountId,
        decided_at: this.#clock.now(),
        ...(decision.status === 'approved' ? { client_id: decision.clientId } : { rejection_reason: decision.reason }),
      });
    return updated > 0;
  }

  /** Forgets the pending request of a dynamic registration its registrant withdrew (RFC 7592 §2.3). */
  async withdraw(clientId: string): Promise<void> {
    await this.#knex('integration_requests').where({ client_id: clientId, status: 'pending', source: 'registration' }).delete().returning('id');
  }

  /** A logo by its served name. */
  async logo(name: string): Promise<{ contentType: string; body: Buffer } | undefined> {
    const row = await this.#knex('client_logos').select('content_type', 'body').where({ name }).first();
    return row ? { contentType: row.content_type, body: Buffer.from(row.body) } : undefined;
  }

  async agencies(): Promise<Agency[]> {
    return this.#knex('agencies').select('id', 'name').orderBy('name');
  }

  async agency(id: string): Promise<Agency | undefined> {
    if (!UUID.test(id)) return undefined;
    return this.#knex('agencies').select('id', 'name').where({ id }).first();
  }

  /** Who issued an initial access token (its value), for which agency, until when. */
  async recordInitialAccessToken(value: string, issued: { agencyId: string | null; byAccountId: string | null; byClientId: string | null; expiresAt: Date }): Promise<void> {
    await this.#knex('initial_access_tokens').insert({
      id_hmac: this.#sealer.lookup(value, TOKEN_PURPOSE),
      agency_id: issued.agencyId,
      issued_by: issued.byAccountId,
      issued_by_client: issued.byClientId,
      expires_at: issued.expiresAt,
    });
  }

  /** What was recorded when the initial access token `value` was issued. */
  async initialAccessToken(value: string): Promise<{ agencyId: string | null; issuedBy: string | null } | undefined> {
    const row = await this.#knex('initial_access_tokens').select('agency_id', 'issued_by').where({ id_hmac: this.#sealer.lookup(value, TOKEN_PURPOSE) }).first();
    return row ? { agencyId: row.agency_id, issuedBy: row.issued_by } : undefined;
  }
}

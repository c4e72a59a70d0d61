// What a reviewer and an operator do with relying parties (SPEC R9, R10; Hue-S Art. 15.2):
// approve or reject an integration request, rotate a client's secret with an overlap, disable
// a client, issue an initial access token for RFC 7591. The console (clients-area.ts) and the
// admin API (clients-api.ts) both call these, each recording the operator's action its own way.
import type { Provider } from 'oidc-provider';
import type { AccountNotifier } from '../accounts/index.ts';
import type { Knex } from '../db/index.ts';
import { REGISTRATION_POLICY, revokeClientTokens, type RegisteredClient } from '../oidc/index.ts';
import { newClientOf, type IntegrationRequest, type IntegrationRequests } from '../onboarding/index.ts';
import { InvalidClientError, validateNewClient, type RegisterClientDeps } from './register-client.ts';

export interface OnboardingDeps extends RegisterClientDeps {
  requests: IntegrationRequests;
  notifier: AccountNotifier;
}

/** Records the operator's action in the audit log (ConsoleKit or ApiKit `record`, bound to the request). */
export type RecordAction = (action: string, target: { clientId?: string | null; accountId?: string | null }, details?: Record<string, string | number | boolean | null>, trx?: Knex.Transaction) => Promise<void>;

/** The longest a rotated secret keeps working beside the new one, and its default (one working day). */
export const MAX_OVERLAP_HOURS = 7 * 24;
export const DEFAULT_OVERLAP_HOURS = 24;
/** The longest an initial access token may live, and its default. */
export const MAX_TOKEN_DAYS = 30;
export const DEFAULT_TOKEN_DAYS = 7;
const MAX_REASON = 500;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;

export type ApproveOutcome =
  | { ok: true; client: RegisteredClient | { client_id: string }; registrantHasCredentials: boolean }
  | { ok: false; problem: 'already_decided' }
  | { ok: false; problem: 'cannot_register'; detail: string };

/** Undoes an approval's transaction: its client is gone. */
class RegistrationWithdrawn extends Error {}

async function notifyRequester(deps: OnboardingDeps, request: IntegrationRequest, notice: 'integration_approved' | 'integration_rejected'): Promise<void> {
  if (!request.requesterAccountId) return;
  const account = await deps.accounts.findById(request.requesterAccountId);
  // Sent after the answer; a failed SMS never undoes the decision (accounts/notifications.ts).
  void deps.notifier.notify(account?.phone ?? null, notice);
}

/**
 * Approves a pending request. A request from the page registers its client, active, with the
 * logo, contacts, purpose and agency it gave (the secret in the answer, shown once); a dynamic
 * registration's client, registered pending, becomes active (its registrant already holds its
 * credentials). The decision, the client and the audit event are one transaction: two reviewers
 * approving at once register one client.
 */
export async function approveRequest(deps: OnboardingDeps, request: IntegrationRequest, reviewer: string | null, record: RecordAction): Promise<ApproveOutcome> {
  if (request.status !== 'pending') return { ok: false, problem: 'already_decided' };
  const { knex } = deps.db;
  const plain = {
    ...(request.fields.purpose ? { purpose: request.fields.purpose } : {}),
    ...(request.agencyId ? { agency_id: request.agencyId } : {}),
  };
  if (request.source === 'registration' && request.clientId) {
    const clientId = request.clientId;
    const done = await knex.transaction(async (trx) => {
      if (!(await deps.requests.decide(trx, request.id, { status: 'approved', clientId }, reviewer))) return 'already_decided';
      // Withdrawn by its registrant meanwhile (RFC 7592 §2.3): nothing is approved.
      if (!(await deps.clients.setStatus(clientId, 'active', ['pending'], trx))) throw new RegistrationWithdrawn();
      if (Object.keys(plain).length) await deps.clients.setMetadataFields(clientId, plain, trx);
      await record('client.approved', { clientId, accountId: request.requesterAccountId }, { request: request.id, name: request.fields.name, source: request.source }, trx);
      return 'approved';
    }).catch((error: unknown) => {
      if (error instanceof RegistrationWithdrawn) return 'withdrawn' as const;
      throw error;
    });
    if (done === 'already_decided') return { ok: false, problem: 'already_decided' };
    if (done === 'withdrawn') return { ok: false, problem: 'cannot_register', detail: 'the registration was withdrawn' };
    await notifyRequester(deps, request, 'integration_approved');
    return { ok: true, client: { client_id: clientId }, registrantHasCredentials: true };
  }
  let validated;
  try {
    validated = await validateNewClient(deps, newClientOf(request.fields), {
      contacts: request.fields.contacts,
      ...(request.logoPath ? { logo_uri: `${deps.config.issuer}${request.logoPath}` } : {}),
      ...plain,
    });
  } catch (error) {
    if (error instanceof InvalidClientError) return { ok: false, problem: 'cannot_register', detail: error.message };
    throw error;
  }
  const clientId = String(validated.metadata.client_id);
  const registered = await knex.transaction(async (trx) => {
    if (!(await deps.requests.decide(trx, request.id, { status: 'approved', clientId }, reviewer))) return undefined;
    const client = await deps.clients.insert(validated.metadata, validated.secret, 'active', trx);
    await record('client.approved', { clientId, accountId: request.requesterAccountId }, { request: request.id, name: validated.name, source: request.source }, trx);
    return client;
  });
  if (!registered) return { ok: false, problem: 'already_decided' };
  await notifyRequester(deps, request, 'integration_approved');
  return { ok: true, client: registered, registrantHasCredentials: false };
}

/** A refusal's reason as the requester will read it, or undefined when it is empty, too long or hides characters. */
export function rejectionReason(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const reason = value.normalize('NFC').trim();
  if (reason === '' || [...reason].length > MAX_REASON || INVISIBLE.test(reason.replace(/\r?\n/g, ' '))) return undefined;
  return reason;
}

/** Rejects a pending request with the reason its requester will read; a dynamic registration's client is disabled. */
export async function rejectRequest(deps: OnboardingDeps, request: IntegrationRequest, reviewer: string | null, reason: string, record: RecordAction): Promise<boolean> {
  if (request.status !== 'pending') return false;
  const done = await deps.db.knex.transaction(async (trx) => {
    if (!(await deps.requests.decide(trx, request.id, { status: 'rejected', reason }, reviewer))) return false;
    if (request.clientId) await deps.clients.setStatus(request.clientId, 'disabled', ['pending'], trx);
    await record('client.rejected', { clientId: request.clientId, accountId: request.requesterAccountId }, { request: request.id, name: request.fields.name }, trx);
    return true;
  });
  if (done) await notifyRequester(deps, request, 'integration_rejected');
  return done;
}

/** Whole hours of overlap from a form or a call: 1 to MAX_OVERLAP_HOURS, DEFAULT_OVERLAP_HOURS when not given. */
export function overlapHours(value: unknown): number | undefined {
  if (value === undefined || value === '') return DEFAULT_OVERLAP_HOURS;
  const hours = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(hours) && hours >= 1 && hours <= MAX_OVERLAP_HOURS ? hours : undefined;
}

/** Whole days an initial access token lives: 1 to MAX_TOKEN_DAYS, DEFAULT_TOKEN_DAYS when not given. */
export function tokenDays(value: unknown): number | undefined {
  if (value === undefined || value === '') return DEFAULT_TOKEN_DAYS;
  const days = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(days) && days >= 1 && days <= MAX_TOKEN_DAYS ? days : undefined;
}

/** A new secret for an active client; the current one keeps working `hours` more. Undefined when it has none. */
export async function rotateClientSecret(deps: OnboardingDeps, clientId: string, hours: number, record: RecordAction): Promise<{ secret: string; previousExpiresAt: Date } | undefined> {
  return deps.db.knex.transaction(async (trx) => {
    const rotated = await deps.clients.rotateSecret(clientId, hours * 3600, trx);
    if (rotated) await record('client.secret_rotated', { clientId }, { overlapHours: hours, previousSecretExpiresAt: rotated.previousExpiresAt.toISOString() }, trx);
    return rotated;
  });
}

/**
 * Disables an active client: from this moment no node hands it to oidc-provider (clients.ts
 * reads it afresh), and every token and code it holds is removed, so none is accepted or
 * introspected as active anywhere. Gives the number of tokens revoked, or undefined when the
 * client was not active.
 */
export async function disableClient(deps: OnboardingDeps, clientId: string, record: RecordAction): Promise<number | undefined> {
  if (!(await deps.clients.setStatus(clientId, 'disabled', ['active']))) return undefined;
  const revoked = await revokeClientTokens(deps.db.knex, clientId);
  await record('client.disabled', { clientId }, { tokensRevoked: revoked });
  return revoked;
}

/**
 * An initial access token for one dynamic registration (RFC 7591 §3), valid `days`, naming the
 * province's rules as its policy; stored by oidc-provider under a keyed hash (adapter.ts), its
 * value returned this once. The agency the registered app will belong to is recorded beside it.
 */
export async function issueInitialAccessToken(deps: OnboardingDeps & { provider: Provider }, options: { days: number; agencyId: string | null; byAccountId: string | null; byClientId: string | null }, record: RecordAction): Promise<{ token: string; expiresAt: Date }> {
  const expiresIn = options.days * 24 * 3600;
  const token = await new deps.provider.InitialAccessToken({ expiresIn, policies: [REGISTRATION_POLICY] }).save();
  const expiresAt = new Date(deps.clock.now().getTime() + expiresIn * 1000);
  await deps.requests.recordInitialAccessToken(token, { agencyId: options.agencyId, byAccountId: options.byAccountId, byClientId: options.byClientId, expiresAt });
  await record('client.registration_token_issued', {}, { agency: options.agencyId, days: options.days });
  return { token, expiresAt };
}

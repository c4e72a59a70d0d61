// Withdrawing a consent (Decree 13/2023 Art. 12; Law 91/2025): the person takes back what an app
// may read. The app loses at once what the consent let it hold — refresh and access tokens,
// codes, its place in the person's sessions — and is told through back-channel logout; its
// next authorization request asks the person again. Used by the account console's connected
// apps, and by an operator acting on the person's request.
import type { Provider } from 'oidc-provider';
import type { AuditLog } from '../audit/index.ts';
import type { Knex } from '../db/index.ts';
import { revokeClientAuthorizations, type EndedSession } from './adapter.ts';
import { sendBackchannelLogouts } from './backchannel-logout.ts';
import type { Consent, ConsentStore } from './consents.ts';

export interface ConsentWithdrawalDeps {
  knex: Knex;
  consents: ConsentStore;
  audit: AuditLog;
  provider: Provider;
}

/** Who asked, for the audit event (http/ requestFacts). */
export interface WithdrawalFacts {
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * Withdraws the consent of `accountId` to `clientId`; gives what it covered, or undefined when
 * there was none in force (then nothing is changed). The consent, the end of the app's tokens
 * and the audit event are one transaction; the app is told once it is committed.
 */
export async function withdrawConsent(deps: ConsentWithdrawalDeps, accountId: string, clientId: string, facts: WithdrawalFacts = {}): Promise<Consent | undefined> {
  let ended: EndedSession[] = [];
  const withdrawn = await deps.knex.transaction(async (trx) => {
    const consent = await deps.consents.withdraw(accountId, clientId, trx);
    if (!consent) return undefined;
    ended = await revokeClientAuthorizations(trx, accountId, clientId);
    await deps.audit.recordIn(trx, { type: 'consent.withdrawn', accountId, clientId, ...facts, details: { scope: consent.scopes.join(' ') } });
    return consent;
  });
  if (withdrawn) await sendBackchannelLogouts(deps.provider, undefined, ended);
  return withdrawn;
}

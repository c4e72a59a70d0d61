// Confirming an authenticator app, at sign-in (an administrator's first) or from a signed-in
// browser: the factor, its recovery codes and its `second_factor.added` event in one
// transaction (SPEC §5: no factor without its event, no event without the factor).
import type { AuditLog } from '../audit/index.ts';
import type { TotpFactors } from './totp.ts';

/** The recovery codes to show once; throws TotpError for a wrong code or a factor already enrolled. */
export function confirmAuthenticator(deps: { totp: TotpFactors; audit: AuditLog }, facts: { ip: string; userAgent: string | null }, accountId: string, typed: string | undefined): Promise<string[]> {
  return deps.totp.confirmEnrolment(accountId, (typed ?? '').replace(/\s/g, ''), (trx) =>
    deps.audit.recordIn(trx, { type: 'second_factor.added', accountId, ...facts, details: { method: 'totp' } }));
}

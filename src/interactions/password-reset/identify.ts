// The first page of a reset: the identifier of the account. A code goes to the account's
// registered phone, or to none when no single account holds it, and the page that follows
// is the same either way (SPEC §6).
import type Router from '@koa/router';
import type { Context } from 'koa';
import { identifierCandidates, MAX_IDENTIFIER_LENGTH } from '../../accounts/index.ts';
import { readForm, requestFacts, showError } from '../../http/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { Challenge } from '../../otp/index.ts';
import { forgotPasswordPage } from '../../../views/index.ts';
import { flowBase } from '../respond.ts';
import type { PasswordResetKit } from './step-kit.ts';

export function identifyStep(kit: PasswordResetKit) {
  const { config, accounts, otp, audit, csrf } = kit.deps;

  function showIdentify(ctx: Context, status: number, identifier?: string, error?: MessageKey) {
    const base = flowBase(ctx);
    kit.render(ctx, status, forgotPasswordPage(kit.shellFor(ctx, 'reset.title'), { csrfToken: csrf.issue(ctx, `forgot:${base}`), action: `${base}/forgot`, identifier, error }));
  }

  /** The reset's challenge: for the one active account with a phone that `identifier` names, else a decoy. */
  async function challengeFor(ctx: Context, identifier: string): Promise<Challenge> {
    const candidates = identifierCandidates(identifier);
    const matches = await accounts.findActiveByIdentifier(candidates);
    const account = matches.length === 1 && matches[0].phone ? matches[0] : undefined;
    // SPEC §6: the limits count what was typed, normalized, for an account and for none
    // alike; the phone first, so 0…, +84… and 84… are one identifier.
    const requestedAs = candidates.phone ?? candidates.nationalId ?? candidates.taxCode ?? candidates.username ?? identifier.toLowerCase();
    const challenge = account
      ? await otp.create({ purpose: 'password_reset', subject: account.id, phone: account.phone!, requestedAs })
      : await otp.createDecoy('password_reset', requestedAs);
    await audit.record({ type: 'password.reset_requested', accountId: account?.id ?? null, ...requestFacts(ctx), details: { matched: Boolean(account) } });
    return challenge;
  }

  function addRoutes(router: Router): void {
    router.get('/forgot', async (ctx) => showIdentify(ctx, 200));

    router.post('/forgot', async (ctx) => {
      const base = flowBase(ctx);
      const form = await readForm(ctx);
      if (!csrf.verify(ctx, `forgot:${base}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
      const identifier = (form.identifier ?? '').normalize('NFC').trim();
      if (!identifier) return showIdentify(ctx, 400, identifier, 'signin.identifier_required');
      if (identifier.length > MAX_IDENTIFIER_LENGTH) return showIdentify(ctx, 400, undefined, 'signin.input_too_long');
      const challenge = await challengeFor(ctx, identifier);
      const failure = await kit.sendResetCode(ctx, challenge);
      if (failure) return showIdentify(ctx, 429, identifier, failure.error);
      ctx.status = 303;
      ctx.redirect(`${base}/forgot/verify/${challenge.id}`);
    });
  }

  return { addRoutes };
}

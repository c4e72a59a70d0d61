// The first step of a sign-in (SPEC §2): the login page and its post, an identifier and a
// password, counted before the password is checked (SPEC R6). What follows a right password
// is decided by next-step.ts.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Sleep } from '../../clock.ts';
import { MAX_IDENTIFIER_LENGTH, MAX_PASSWORD_LENGTH, type PasswordSignIn } from '../../accounts/index.ts';
import { readForm, requestFacts, showError } from '../../http/index.ts';
import { localeOf, pageShell, loginPage } from '../../../views/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { clientShown, finish, type Interaction } from '../respond.ts';
import { asksUnreachableAcr } from './requested-acr.ts';
import type { SignInStepDeps, StepKit } from './step-kit.ts';

export interface PasswordStepDeps extends SignInStepDeps {
  signIn: PasswordSignIn;
  sleep: Sleep;
}

export function passwordStep(deps: PasswordStepDeps, proceed: StepKit['proceed']) {
  const { config, clock, sleep, provider, signIn, audit, csrf, lockout, notifier } = deps;

  function minutesUntil(until: Date): number {
    return Math.max(1, Math.ceil((until.getTime() - clock.now().getTime()) / 60_000));
  }

  async function renderLogin(ctx: Context, interaction: Interaction, status: number, identifier?: string, error?: MessageKey, errorParams?: Record<string, number>) {
    const shell = pageShell(ctx, config, 'login.title', localeOf(ctx, interaction.params.ui_locales));
    const client = await clientShown(provider, interaction, shell.locale);
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = loginPage(shell, {
      csrfToken: csrf.issue(ctx, `login:${interaction.uid}`),
      action: `/interaction/${interaction.uid}/login${shell.locale === 'en' ? '?lang=en' : ''}`,
      clientName: client.name,
      clientLogoUri: client.logoUri,
      identifier,
      error,
      errorParams,
      forgotPasswordHref: `/interaction/${interaction.uid}/forgot`,
      registerHref: `/interaction/${interaction.uid}/register`,
    });
  }

  /** The login page of an interaction at its login prompt. */
  async function show(ctx: Context, interaction: Interaction): Promise<void> {
    // OpenID Connect Core §5.5.1.1: an essential acr that sign-in cannot reach is a failed
    // authentication, said to the app at once rather than a sign-in that never satisfies.
    if (asksUnreachableAcr(interaction)) {
      return finish(ctx, provider, { error: 'unmet_authentication_requirements', error_description: 'the requested authentication level is not available' });
    }
    const hint = typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint.slice(0, MAX_IDENTIFIER_LENGTH) : undefined;
    return renderLogin(ctx, interaction, 200, hint);
  }

  function addRoutes(router: Router): void {
    router.post('/login', async (ctx) => {
      const interaction: Interaction = ctx.state.interaction;
      const form = await readForm(ctx);
      if (interaction.prompt.name !== 'login') return showError(ctx, config, 400, 'request.invalid');
      if (!csrf.verify(ctx, `login:${interaction.uid}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
      const identifier = (form.identifier ?? '').trim();
      const password = form.password ?? '';
      if (identifier.length > MAX_IDENTIFIER_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
        return renderLogin(ctx, interaction, 400, undefined, 'signin.input_too_long');
      }
      if (!identifier) return renderLogin(ctx, interaction, 400, identifier, 'signin.identifier_required');
      if (!password) return renderLogin(ctx, interaction, 400, identifier, 'signin.password_required');

      // The attempt is counted before the password is checked, in the statement that finds the
      // account (SPEC R6): under each identifier the typed text can be, each of those from this
      // address, and the address. Only an attempt within every limit is checked, so no more
      // guesses than the limit are ever verified, whatever the concurrency, on any node. The
      // keys come from the text alone, every spelling of an identifier under one key, so an
      // account and no account slow down and lock alike (SPEC §6).
      const attemptKeys = signIn.attemptKeys(identifier, ctx.ip);
      const { account, counted } = await signIn.findCounting(identifier, attemptKeys, lockout.counting());
      const attempt = lockout.judge(counted);
      const clientId = String(interaction.params.client_id);
      if (!attempt.allowed) {
        await audit.record({ type: 'signin.throttled', accountId: account?.id ?? null, clientId, ...requestFacts(ctx) });
        return renderLogin(ctx, interaction, 429, identifier, 'signin.locked', { minutes: minutesUntil(attempt.lockedUntil ?? clock.now()) });
      }

      const result = await signIn.check(account, password);
      if (!result.ok) {
        await audit.record({ type: 'signin.failed', accountId: account?.id ?? null, clientId, ...requestFacts(ctx), details: { reason: result.reason } });
        if (attempt.locksIfWrong && account) {
          await audit.record({ type: 'account.locked', accountId: account.id, clientId, ...requestFacts(ctx) });
          // Not awaited: the answer must not take longer for an account than for no account.
          void notifier.notify(account.phone, 'account_locked');
        }
        await sleep(lockout.delayAfter(attempt.failures) * 1000);
        if (attempt.locksIfWrong) return renderLogin(ctx, interaction, 429, identifier, 'signin.locked', { minutes: minutesUntil(attempt.lockedUntil!) });
        return renderLogin(ctx, interaction, 401, identifier, 'signin.failed');
      }
      // The right password clears what it proves (the account's and the identifier's counts)
      // and gives the address back its attempt. Not the second factor's count: only a right
      // second factor clears that.
      await lockout.clear({ cleared: [...attemptKeys.identifiers, ...attemptKeys.pairs], refunded: attemptKeys.ip });
      await proceed(ctx, interaction, result.account, { accountId: result.account.id, uid: interaction.uid, amr: ['pwd'], secondFactor: false, warned: false });
    });
  }

  return { show, addRoutes };
}

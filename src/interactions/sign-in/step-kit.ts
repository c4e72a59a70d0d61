// What every step after the password shares (SPEC §2): its page shell, its form (a ticket
// of what is proven so far and a CSRF token for that step only), reading a post back, the
// second factor's own count of attempts, and going on to whatever next-step.ts decides.
import type { Context } from 'koa';
import type { Provider } from 'oidc-provider';
import type { Config } from '../../config.ts';
import type { Clock } from '../../clock.ts';
import type { Knex } from '../../db/index.ts';
import type { Account, AccountStore, AccountNotifier } from '../../accounts/index.ts';
import { isOperator } from '../../accounts/index.ts';
import type { AuditLog } from '../../audit/index.ts';
import { type Csrf, readForm, requestFacts, showError } from '../../http/index.ts';
import { localeOf, pageShell } from '../../../views/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { ACR } from '../../oidc/index.ts';
import type { SmsOtp, TotpFactors } from '../../otp/index.ts';
import { passwordStatus, type Attempt, type SignInLockout } from '../../passwords/index.ts';
import { finish, type Interaction } from '../respond.ts';
import type { Ticket, TicketSigner } from '../sign-in-ticket.ts';
import { nextStep, type NextStep } from './next-step.ts';
import { wantsSecondFactor } from './requested-acr.ts';

export interface SignInStepDeps {
  config: Config;
  knex: Knex;
  clock: Clock;
  provider: Provider;
  accounts: AccountStore;
  totp: TotpFactors;
  otp: SmsOtp;
  lockout: SignInLockout;
  notifier: AccountNotifier;
  audit: AuditLog;
  csrf: Csrf;
  tickets: TicketSigner;
}

/** What a sign-in has proven, without the step it is at. */
export type StepState = Omit<Ticket, 'expiresAt' | 'step'>;

/** A step's page, shown when next-step.ts decides the sign-in needs it. */
export type ShowStep = (ctx: Context, interaction: Interaction, account: Account, ticket: StepState, next: NextStep) => Promise<void>;

export type StepKit = ReturnType<typeof stepKit>;

/** A step with a page of its own: every decision of next-step.ts but `finish`. */
export type ShownStep = Exclude<NextStep['step'], 'finish'>;

const SECOND_FACTOR_METHODS = new Set(['otp', 'sms']);

/** `showFor` gives the page of each step but `finish`; the steps register their own. */
export function stepKit(deps: SignInStepDeps, showFor: (step: ShownStep) => ShowStep) {
  const { config, clock, provider, accounts, totp, lockout, notifier, audit, csrf, tickets } = deps;

  function shellFor(ctx: Context, interaction: Interaction, title: MessageKey) {
    return pageShell(ctx, config, title, localeOf(ctx, interaction.params.ui_locales));
  }

  function render(ctx: Context, status: number, body: string) {
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = body;
  }

  /** A step's form: posts to `path`, with a ticket and a CSRF token good for `name` only. */
  function form(ctx: Context, interaction: Interaction, ticket: StepState, path: string, name = path) {
    return {
      csrfToken: csrf.issue(ctx, `step:${interaction.uid}:${name}`),
      action: `/interaction/${interaction.uid}/${path}`,
      ticket: tickets.issue({ ...ticket, step: name }, clock.now()),
    };
  }

  /** Shows the next step the sign-in needs (next-step.ts decides which), or finishes it. */
  async function proceed(ctx: Context, interaction: Interaction, account: Account, ticket: StepState): Promise<void> {
    const next = nextStep({
      secondFactorDone: ticket.secondFactor,
      // Read only while a second factor may still be asked for.
      totpEnrolled: !ticket.secondFactor && (await totp.isEnrolled(account.id)),
      isOperator: isOperator(account.roles),
      wantsSecondFactor: wantsSecondFactor(interaction),
      hasPhone: Boolean(account.phone),
      hasPassword: Boolean(account.passwordHash),
      passwordChangeRequired: account.passwordChangeRequired,
      passwordStatus: passwordStatus(account.passwordChangedAt, clock.now(), config.passwordPolicy),
      warned: ticket.warned,
    });
    if (next.step !== 'finish') return showFor(next.step)(ctx, interaction, account, ticket, next);

    const strong = ticket.amr.some((method) => SECOND_FACTOR_METHODS.has(method));
    await audit.record({ type: 'signin.succeeded', accountId: account.id, clientId: String(interaction.params.client_id), ...requestFacts(ctx), details: { amr: ticket.amr.join(' ') } });
    await finish(ctx, provider, { login: { accountId: account.id, acr: strong ? ACR.secondFactor : ACR.password, amr: ticket.amr, remember: true } });
  }

  /**
   * The ticket and account of a post to step `name`, or an error page. A ticket issued for
   * another step is refused: no step can be skipped by posting elsewhere.
   */
  async function continuing(ctx: Context, name: string): Promise<{ interaction: Interaction; ticket: Ticket; account: Account; form: Record<string, string> } | undefined> {
    const interaction = ctx.state.interaction as Interaction;
    const posted = await readForm(ctx);
    if (!csrf.verify(ctx, `step:${interaction.uid}:${name}`, posted._csrf)) {
      showError(ctx, config, 403, 'csrf.invalid');
      return undefined;
    }
    const read = tickets.read(posted.ticket, interaction.uid, clock.now());
    const ticket = read?.step === name ? read : undefined;
    const account = ticket ? await accounts.findById(ticket.accountId) : undefined;
    if (!ticket || !account || account.status !== 'active') {
      showError(ctx, config, 400, 'signin.step_expired');
      return undefined;
    }
    return { interaction, ticket, account, form: posted };
  }

  const secondFactor = {
    /**
     * Counts a second-factor attempt before its code is checked (SPEC R6), under
     * the account's own second-factor key: at most the limit of codes are ever checked per
     * window, concurrent ones included, and a right password does not reset the count. Not
     * allowed when locked: even the right code is then refused.
     */
    reserve(account: Account): Promise<Attempt> {
      return lockout.reserve([`second-factor:${account.id}`]);
    },
    /** A wrong code that reached the limit locks the second factor; the holder is told. */
    async wrong(ctx: Context, account: Account, attempt: Attempt): Promise<boolean> {
      if (attempt.locksIfWrong) {
        await audit.record({ type: 'account.locked', accountId: account.id, ...requestFacts(ctx) });
        void notifier.notify(account.phone, 'account_locked');
      }
      return attempt.locksIfWrong;
    },
    /** Only a right second factor clears the count of wrong codes. */
    async right(account: Account): Promise<void> {
      await lockout.clear({ cleared: [`second-factor:${account.id}`] });
    },
  };

  return { deps, shellFor, render, form, proceed, continuing, secondFactor };
}

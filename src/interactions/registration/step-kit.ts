// What the registration steps share (SPEC R1–R4): the page shell, the app the person
// registers for and the way back to its sign-in, handing a filled-in registration over to
// the SMS code step, sending that code, and the page a registration ends on.
import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import type { Provider } from 'oidc-provider';
import type { Config } from '../../config.ts';
import type { AccountStore, AccountType, FinishedRegistration, PendingRegistrations, RegistrationOutcome } from '../../accounts/index.ts';
import type { RegisteredAccount } from '../../accounts/registration/index.ts';
import type { AuditLog } from '../../audit/index.ts';
import type { Clock } from '../../clock.ts';
import { type Csrf, requestFacts } from '../../http/index.ts';
import { noticePage } from '../../../views/index.ts';
import { t, type MessageKey } from '../../i18n/index.ts';
import type { SmsOtp } from '../../otp/index.ts';
import { hashPassword } from '../../passwords/index.ts';
import { answerPage, flowBase, flowShell, wayToSignIn, type Interaction } from '../respond.ts';
import { sendCode, type CodeFailure } from '../send-code.ts';
import { clientNameIn } from '../../oidc/index.ts';

export interface RegistrationDeps {
  config: Config;
  clock: Clock;
  provider: Provider;
  accounts: AccountStore;
  pending: PendingRegistrations;
  otp: SmsOtp;
  audit: AuditLog;
  csrf: Csrf;
}

export type RegistrationKit = ReturnType<typeof registrationKit>;

export const isAccountType = (value: unknown): value is AccountType => value === 'citizen' || value === 'organization';

export function registrationKit(deps: RegistrationDeps) {
  const { config, provider, pending, otp, audit } = deps;

  const shellFor = (ctx: Context, title: MessageKey) => flowShell(ctx, config, title);
  const render = answerPage;

  async function clientName(ctx: Context): Promise<string | undefined> {
    const interaction = ctx.state.interaction as Interaction | undefined;
    if (!interaction) return undefined;
    const clientId = String(interaction.params.client_id);
    const client = await provider.Client.find(clientId);
    return clientNameIn(flowShell(ctx, config, 'register.title').locale, clientId, client?.clientName);
  }

  /** Back to the sign-in page of the interaction; on its own, there is none to go back to. */
  function signInHref(ctx: Context): string | undefined {
    return flowBase(ctx) || undefined;
  }

  /** Sends a code; a failure leaves the registration waiting for a resend. */
  async function sendRegistrationCode(ctx: Context, pendingId: string, challengeId: string): Promise<CodeFailure | undefined> {
    const challenge = await otp.find(challengeId);
    if (!challenge) return { error: 'otp.expired' };
    const failure = await sendCode(otp, challenge, ctx.ip);
    if (!failure) await audit.record({ type: 'otp.sent', ...requestFacts(ctx), details: { purpose: 'registration', registration: pendingId } });
    return failure;
  }

  /** Starts a valid registration: kept, sealed, until its phone is proven; its code sent, the code page next. */
  async function startRegistration(ctx: Context, account: RegisteredAccount, password: string): Promise<void> {
    const pendingId = randomUUID();
    const challenge = await otp.create({ purpose: 'registration', subject: pendingId, phone: account.phone! });
    await pending.create({ ...account, passwordHash: await hashPassword(password, config.argon2) }, challenge.id, pendingId);
    await audit.record({ type: 'registration.started', ...requestFacts(ctx), details: { registration: pendingId, accountType: account.type } });
    const failure = await sendRegistrationCode(ctx, pendingId, challenge.id);
    ctx.status = 303;
    ctx.redirect(`${flowBase(ctx)}/register/verify/${pendingId}${failure ? `?error=${failure.error}` : ''}`);
  }

  /**
   * How a registration ended, for a code or resend posted again after its answer was lost
   * (SPEC §5: nothing lost): never a dead end. An account made: sign in with it. Refused: why, and
   * the way on. Only whoever proved the phone reached this page: the refusal may say that
   * the identifier is registered (R1 refuses the duplicate; SPEC §6: told only then).
   */
  function showFinished(ctx: Context, finished: Pick<FinishedRegistration, 'outcome'>): void {
    const base = flowBase(ctx);
    const shell = shellFor(ctx, 'notice.title');
    const { outcome } = finished;
    if (outcome === 'activated') {
      render(ctx, 200, noticePage(shell, { title: t(shell.locale, 'register.done_title'), message: t(shell.locale, 'register.done'), ...wayToSignIn(ctx, shell.locale) }));
      return;
    }
    const links: Record<Exclude<RegistrationOutcome, 'activated'>, { href: string; label: string }> = {
      duplicate_national_id: { href: `${base}/forgot`, label: t(shell.locale, 'login.forgot_password') },
      duplicate_tax_code: { href: `${base}/forgot`, label: t(shell.locale, 'login.forgot_password') },
      duplicate_username: { href: `${base}/register`, label: t(shell.locale, 'register.title') },
    };
    render(ctx, 409, noticePage(shell, {
      title: t(shell.locale, 'register.title'),
      message: t(shell.locale, `register.${outcome}`),
      link: links[outcome],
    }));
  }

  return { deps, shellFor, render, clientName, signInHref, sendRegistrationCode, startRegistration, showFinished };
}

// Registration (SPEC R1–R4): choose account type → form → SMS OTP → active account. Inside
// an OpenID Connect interaction the person then continues the original request signed in;
// at /register, on its own, they are told the account is ready.
import { randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Provider } from 'oidc-provider';
import type { Config } from '../config.ts';
import { DuplicateAccountError, maskPhone, type AccountStore, type FinishedRegistration, type PendingRegistrations, type RegistrationOutcome } from '../accounts/index.ts';
import { registrationFields, validateRegistration } from '../accounts/registration/index.ts';
import type { Clock } from '../clock.ts';
import type { AuditLog } from '../audit/index.ts';
import { type Csrf, readForm, requestFacts, showError } from '../http/index.ts';
import { localeOf, pageShell, otpPage, registerChoicePage, registerFormPage, noticePage } from '../../views/index.ts';
import { hasMessage, t, type MessageKey } from '../i18n/index.ts';
import { ACR } from '../oidc/index.ts';
import { OtpError, type SmsOtp } from '../otp/index.ts';
import { hashPassword } from '../passwords/index.ts';
import { finish, flowBase, type Interaction } from './respond.ts';
import { sendCode, type CodeFailure } from './send-code.ts';

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

type AccountType = 'citizen' | 'organization';
const isAccountType = (value: unknown): value is AccountType => value === 'citizen' || value === 'organization';

// Notices and errors that may travel in a redirect's query string: only these keys. That a code
// was sent, and to which number, the page's lead already says.
const NOTICES = new Set<MessageKey>(['otp.resent']);
const ERRORS = new Set<MessageKey>(['sms.send_failed', 'otp.rate_limited']);
const fromQuery = (allowed: ReadonlySet<MessageKey>, value: unknown): MessageKey | undefined =>
  typeof value === 'string' && hasMessage(value) && allowed.has(value) ? value : undefined;

/** Adds the registration pages to `router` (the interaction router, or a standalone one). */
export function addRegistrationRoutes(router: Router, deps: RegistrationDeps): void {
  const { config, clock, provider, accounts, pending, otp, audit, csrf } = deps;

  async function clientName(ctx: Context): Promise<string | undefined> {
    const interaction = ctx.state.interaction as Interaction | undefined;
    if (!interaction) return undefined;
    const client = await provider.Client.find(String(interaction.params.client_id));
    return client?.clientName;
  }

  /** Back to the sign-in page of the interaction; on its own, there is none to go back to. */
  function signInHref(ctx: Context): string | undefined {
    return flowBase(ctx) || undefined;
  }

  function shellFor(ctx: Context, title: MessageKey) {
    const interaction = ctx.state.interaction as Interaction | undefined;
    return pageShell(ctx, config, title, localeOf(ctx, interaction?.params.ui_locales));
  }

  async function renderForm(ctx: Context, type: AccountType, status: number, values: Record<string, string>, errors: Record<string, { code: string; params?: Record<string, string | number> }>, formError?: MessageKey) {
    const base = flowBase(ctx);
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = registerFormPage(shellFor(ctx, 'register.title'), {
      type,
      csrfToken: csrf.issue(ctx, `register:${base}:${type}`),
      action: `${base}/register/${type}`,
      values,
      errors,
      clientName: await clientName(ctx),
      formError,
      signInHref: signInHref(ctx),
    });
  }

  async function renderOtp(ctx: Context, pendingId: string, phone: string, status: number, message: { error?: MessageKey; errorParams?: Record<string, string | number>; notice?: MessageKey }) {
    const base = flowBase(ctx);
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = otpPage(shellFor(ctx, 'otp.title'), {
      csrfToken: csrf.issue(ctx, `register-otp:${pendingId}`),
      action: `${base}/register/verify/${pendingId}`,
      resendAction: `${base}/register/verify/${pendingId}/resend`,
      maskedPhone: maskPhone(phone),
      ...message,
    });
  }

  /** Sends a code; a failure leaves the registration waiting for a resend. */
  async function sendRegistrationCode(ctx: Context, pendingId: string, challengeId: string): Promise<CodeFailure | undefined> {
    const challenge = await otp.find(challengeId);
    if (!challenge) return { error: 'otp.expired' };
    const failure = await sendCode(otp, challenge, ctx.ip);
    if (!failure) await audit.record({ type: 'otp.sent', ...requestFacts(ctx), details: { purpose: 'registration', registration: pendingId } });
    return failure;
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
    const links: Record<RegistrationOutcome, { href: string; label: string } | undefined> = {
      activated: base ? { href: base, label: t(shell.locale, 'login.submit') } : undefined,
      duplicate_national_id: { href: `${base}/forgot`, label: t(shell.locale, 'login.forgot_password') },
      duplicate_tax_code: { href: `${base}/forgot`, label: t(shell.locale, 'login.forgot_password') },
      duplicate_username: { href: `${base}/register`, label: t(shell.locale, 'register.title') },
    };
    const done = finished.outcome === 'activated';
    ctx.status = done ? 200 : 409;
    ctx.type = 'html';
    ctx.body = noticePage(shell, {
      title: t(shell.locale, done ? 'register.done_title' : 'register.title'),
      message: t(shell.locale, finished.outcome === 'activated' ? 'register.done' : `register.${finished.outcome}`),
      link: links[finished.outcome],
    });
  }

  /** The registration of the page, waiting or ended; answers for an ended one itself. */
  async function waitingRegistration(ctx: Context) {
    const registration = await pending.find(ctx.params.id);
    if (registration) return registration;
    const finished = await pending.findFinished(ctx.params.id);
    if (finished) showFinished(ctx, finished);
    else showError(ctx, config, 404, 'otp.expired');
    return undefined;
  }

  router.get('/register', async (ctx) => {
    const base = flowBase(ctx);
    ctx.type = 'html';
    ctx.body = registerChoicePage(shellFor(ctx, 'register.title'), {
      csrfToken: csrf.issue(ctx, `register-choice:${base}`),
      action: `${base}/register`,
      clientName: await clientName(ctx),
      signInHref: signInHref(ctx),
    });
  });

  router.post('/register', async (ctx) => {
    const base = flowBase(ctx);
    const form = await readForm(ctx);
    if (!csrf.verify(ctx, `register-choice:${base}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    if (!isAccountType(form.type)) return showError(ctx, config, 400, 'request.invalid');
    ctx.status = 303;
    ctx.redirect(`${base}/register/${form.type}`);
  });

  router.get('/register/:type', async (ctx) => {
    if (!isAccountType(ctx.params.type)) return showError(ctx, config, 404, 'not_found');
    await renderForm(ctx, ctx.params.type, 200, {}, {});
  });

  router.post('/register/:type', async (ctx) => {
    const type = ctx.params.type;
    if (!isAccountType(type)) return showError(ctx, config, 404, 'not_found');
    const base = flowBase(ctx);
    const form = await readForm(ctx);
    if (!csrf.verify(ctx, `register:${base}:${type}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const result = validateRegistration(type, form, { now: clock.now(), passwordPolicy: config.passwordPolicy });
    if (!result.ok) return renderForm(ctx, type, 400, result.kept, result.errors);

    // SPEC §6: a registration taken identifier is not told here, to whoever typed it, but
    // after the code sent to the phone typed (showFinished); and each address may start
    // only so many registrations an hour, counted before the password is hashed.
    const kept = Object.fromEntries(registrationFields[type].filter((field) => field.kind !== 'password').map((field) => [field.name, form[field.name] ?? '']));
    if (!(await pending.reserveAttempt(ctx.ip))) return renderForm(ctx, type, 429, kept, {}, 'register.rate_limited');

    const pendingId = randomUUID();
    const challenge = await otp.create({ purpose: 'registration', subject: pendingId, phone: result.account.phone! });
    await pending.create({ ...result.account, passwordHash: await hashPassword(result.password, config.argon2) }, challenge.id, pendingId);
    await audit.record({ type: 'registration.started', ...requestFacts(ctx), details: { registration: pendingId, accountType: type } });
    const failure = await sendRegistrationCode(ctx, pendingId, challenge.id);
    ctx.status = 303;
    ctx.redirect(`${base}/register/verify/${pendingId}${failure ? `?error=${failure.error}` : ''}`);
  });

  router.get('/register/verify/:id', async (ctx) => {
    const registration = await waitingRegistration(ctx);
    if (!registration) return;
    const error = fromQuery(ERRORS, ctx.query.error);
    const notice = fromQuery(NOTICES, ctx.query.notice);
    await renderOtp(ctx, registration.id, registration.account.phone!, 200, { error, notice });
  });

  router.post('/register/verify/:id/resend', async (ctx) => {
    const form = await readForm(ctx);
    const registration = await waitingRegistration(ctx);
    if (!registration) return;
    if (!csrf.verify(ctx, `register-otp:${registration.id}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const failure = await sendRegistrationCode(ctx, registration.id, registration.challengeId);
    if (failure) return renderOtp(ctx, registration.id, registration.account.phone!, 429, failure);
    ctx.status = 303;
    ctx.redirect(`${flowBase(ctx)}/register/verify/${registration.id}?notice=otp.resent`);
  });

  router.post('/register/verify/:id', async (ctx) => {
    const form = await readForm(ctx);
    const registration = await waitingRegistration(ctx);
    if (!registration) return;
    if (!csrf.verify(ctx, `register-otp:${registration.id}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const code = (form.code ?? '').trim();
    if (!code) return renderOtp(ctx, registration.id, registration.account.phone!, 400, { error: 'otp.required' });
    // SPEC §5 (nothing lost): the code is used up, the account made (or refused), the registration
    // ended and the event recorded in one transaction: all of it happens or none, and a
    // code posted again after a failure finishes it, or finds how it ended.
    let ended: { outcome: RegistrationOutcome; accountId: string | null } | undefined;
    try {
      ended = await otp.verify({ id: registration.challengeId, purpose: 'registration', subject: registration.id }, code, async (trx) => {
        let outcome: RegistrationOutcome = 'activated';
        let accountId: string | null = null;
        try {
          // A savepoint: a duplicate undoes the insert alone, and the refusal is kept.
          accountId = (await trx.transaction((savepoint) => accounts.create({ ...registration.account, status: 'active', phoneVerified: true }, savepoint))).id;
        } catch (error) {
          if (!(error instanceof DuplicateAccountError)) throw error;
          outcome = `duplicate_${error.field}`;
        }
        if (!(await pending.finish(trx, registration.id, outcome, accountId))) throw new OtpError('otp.expired');
        if (accountId) await audit.recordIn(trx, { type: 'account.activated', accountId, ...requestFacts(ctx), details: { accountType: registration.account.type, registration: registration.id } });
        return { outcome, accountId };
      });
    } catch (error) {
      if (!(error instanceof OtpError)) throw error;
      await audit.record({ type: 'otp.failed', ...requestFacts(ctx), details: { purpose: 'registration', registration: registration.id, reason: error.code } });
      const status = error.code === 'otp.invalid' ? 400 : 410;
      return renderOtp(ctx, registration.id, registration.account.phone!, status, { error: error.code, errorParams: error.params });
    }
    const { outcome, accountId } = ended!;
    if (outcome !== 'activated' || !accountId) return showFinished(ctx, { outcome });

    if (ctx.state.interaction) {
      // The person goes on to the app that sent them, already signed in: they have just
      // chosen the password and proven the phone.
      return finish(ctx, provider, { login: { accountId, acr: ACR.password, amr: ['pwd', 'sms'], remember: true } });
    }
    const shell = shellFor(ctx, 'notice.title');
    ctx.type = 'html';
    ctx.body = noticePage(shell, { title: t(shell.locale, 'register.done_title'), message: t(shell.locale, 'register.done') });
  });
}

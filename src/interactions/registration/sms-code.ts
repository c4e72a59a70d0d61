// Proving the phone of a registration (SPEC R4): the code sent to it, sent again on request;
// the right code makes the account, which inside an OpenID Connect interaction then goes on
// to the app signed in.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { DuplicateAccountError, maskPhone, type PendingRegistration, type RegistrationOutcome } from '../../accounts/index.ts';
import type { Knex } from '../../db/index.ts';
import { readForm, requestFacts, showError } from '../../http/index.ts';
import { hasMessage, type MessageKey } from '../../i18n/index.ts';
import { ACR } from '../../oidc/index.ts';
import { OtpError } from '../../otp/index.ts';
import { otpPage } from '../../../views/index.ts';
import { finish, flowBase } from '../respond.ts';
import type { RegistrationKit } from './step-kit.ts';

// Notices and errors that may travel in a redirect's query string: only these keys. That a code
// was sent, and to which number, the page's lead already says.
const NOTICES = new Set<MessageKey>(['otp.resent']);
const ERRORS = new Set<MessageKey>(['sms.send_failed', 'otp.rate_limited']);
const fromQuery = (allowed: ReadonlySet<MessageKey>, value: unknown): MessageKey | undefined =>
  typeof value === 'string' && hasMessage(value) && allowed.has(value) ? value : undefined;

interface Ended {
  outcome: RegistrationOutcome;
  accountId: string | null;
}

export function smsCodeStep(kit: RegistrationKit) {
  const { config, provider, accounts, pending, otp, audit, csrf } = kit.deps;

  function showCode(ctx: Context, registration: PendingRegistration, status: number, message: { error?: MessageKey; errorParams?: Record<string, string | number>; notice?: MessageKey }) {
    const base = flowBase(ctx);
    kit.render(ctx, status, otpPage(kit.shellFor(ctx, 'otp.title'), {
      csrfToken: csrf.issue(ctx, `register-otp:${registration.id}`),
      action: `${base}/register/verify/${registration.id}`,
      resendAction: `${base}/register/verify/${registration.id}/resend`,
      maskedPhone: maskPhone(registration.account.phone!),
      ...message,
    }));
  }

  /** The registration of the page, waiting or ended; answers for an ended one itself. */
  async function waitingRegistration(ctx: Context): Promise<PendingRegistration | undefined> {
    const registration = await pending.find(ctx.params.id);
    if (registration) return registration;
    const finished = await pending.findFinished(ctx.params.id);
    if (finished) kit.showFinished(ctx, finished);
    else showError(ctx, config, 404, 'otp.expired');
    return undefined;
  }

  /** The waiting registration a code or resend was posted for, with its form; else answered. */
  async function posted(ctx: Context): Promise<{ registration: PendingRegistration; form: Record<string, string> } | undefined> {
    const form = await readForm(ctx);
    const registration = await waitingRegistration(ctx);
    if (!registration) return undefined;
    if (!csrf.verify(ctx, `register-otp:${registration.id}`, form._csrf)) {
      showError(ctx, config, 403, 'csrf.invalid');
      return undefined;
    }
    return { registration, form };
  }

  /**
   * SPEC §5 (nothing lost): the code is used up, the account made (or refused), the registration
   * ended and the event recorded in one transaction: all of it happens or none, and a
   * code posted again after a failure finishes it, or finds how it ended.
   */
  async function activate(ctx: Context, registration: PendingRegistration, code: string): Promise<Ended> {
    const ended = await otp.verify({ id: registration.challengeId, purpose: 'registration', subject: registration.id }, code, async (trx) => {
      const { outcome, accountId } = await createAccount(trx, registration);
      if (!(await pending.finish(trx, registration.id, outcome, accountId))) throw new OtpError('otp.expired');
      if (accountId) await audit.recordIn(trx, { type: 'account.activated', accountId, ...requestFacts(ctx), details: { accountType: registration.account.type, registration: registration.id } });
      return { outcome, accountId };
    });
    return ended!;
  }

  /** A savepoint: a duplicate undoes the insert alone, and the refusal is kept. */
  async function createAccount(trx: Knex.Transaction, registration: PendingRegistration): Promise<Ended> {
    try {
      const account = await trx.transaction((savepoint) => accounts.create({ ...registration.account, status: 'active', phoneVerified: true }, savepoint));
      return { outcome: 'activated', accountId: account.id };
    } catch (error) {
      if (!(error instanceof DuplicateAccountError)) throw error;
      return { outcome: `duplicate_${error.field}`, accountId: null };
    }
  }

  function addRoutes(router: Router): void {
    router.get('/register/verify/:id', async (ctx) => {
      const registration = await waitingRegistration(ctx);
      if (!registration) return;
      showCode(ctx, registration, 200, { error: fromQuery(ERRORS, ctx.query.error), notice: fromQuery(NOTICES, ctx.query.notice) });
    });

    router.post('/register/verify/:id/resend', async (ctx) => {
      const state = await posted(ctx);
      if (!state) return;
      const { registration } = state;
      const failure = await kit.sendRegistrationCode(ctx, registration.id, registration.challengeId);
      if (failure) return showCode(ctx, registration, 429, failure);
      ctx.status = 303;
      ctx.redirect(`${flowBase(ctx)}/register/verify/${registration.id}?notice=otp.resent`);
    });

    router.post('/register/verify/:id', async (ctx) => {
      const state = await posted(ctx);
      if (!state) return;
      const { registration, form } = state;
      const code = (form.code ?? '').trim();
      if (!code) return showCode(ctx, registration, 400, { error: 'otp.required' });
      let ended: Ended;
      try {
        ended = await activate(ctx, registration, code);
      } catch (error) {
        if (!(error instanceof OtpError)) throw error;
        await audit.record({ type: 'otp.failed', ...requestFacts(ctx), details: { purpose: 'registration', registration: registration.id, reason: error.code } });
        return showCode(ctx, registration, error.code === 'otp.invalid' ? 400 : 410, { error: error.code, errorParams: error.params });
      }
      const { outcome, accountId } = ended;
      // The person goes on to the app that sent them, already signed in: they have just
      // chosen the password and proven the phone. On its own, they are told the account is ready.
      if (outcome === 'activated' && accountId && ctx.state.interaction) {
        return finish(ctx, provider, { login: { accountId, acr: ACR.password, amr: ['pwd', 'sms'], remember: true } });
      }
      kit.showFinished(ctx, { outcome });
    });
  }

  return { addRoutes };
}

// The registration form of one account type (SPEC R1–R3), every field on one page, checked
// all at once; a valid one starts the registration and goes on to the SMS code.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { AccountType } from '../../accounts/index.ts';
import { registrationFields, validateRegistration, type FieldError } from '../../accounts/registration/index.ts';
import { readForm, showError } from '../../http/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { registerFormPage } from '../../../views/index.ts';
import { flowBase } from '../respond.ts';
import { isAccountType, type RegistrationKit } from './step-kit.ts';

export function formStep(kit: RegistrationKit) {
  const { config, clock, pending, csrf } = kit.deps;

  async function showForm(ctx: Context, type: AccountType, status: number, values: Record<string, string>, errors: Record<string, FieldError>, formError?: MessageKey) {
    const base = flowBase(ctx);
    kit.render(ctx, status, registerFormPage(kit.shellFor(ctx, 'register.title'), {
      type,
      csrfToken: csrf.issue(ctx, `register:${base}:${type}`),
      action: `${base}/register/${type}`,
      values,
      errors,
      clientName: await kit.clientName(ctx),
      formError,
      signInHref: kit.signInHref(ctx),
    }));
  }

  /** What is shown again when the form is refused as a whole: every value typed but the passwords. */
  function keptValues(type: AccountType, form: Record<string, string>): Record<string, string> {
    return Object.fromEntries(registrationFields[type].filter((field) => field.kind !== 'password').map((field) => [field.name, form[field.name] ?? '']));
  }

  function addRoutes(router: Router): void {
    router.get('/register/:type', async (ctx) => {
      if (!isAccountType(ctx.params.type)) return showError(ctx, config, 404, 'not_found');
      await showForm(ctx, ctx.params.type, 200, {}, {});
    });

    router.post('/register/:type', async (ctx) => {
      const type = ctx.params.type;
      if (!isAccountType(type)) return showError(ctx, config, 404, 'not_found');
      const form = await readForm(ctx);
      if (!csrf.verify(ctx, `register:${flowBase(ctx)}:${type}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
      const result = validateRegistration(type, form, { now: clock.now(), passwordPolicy: config.passwordPolicy });
      if (!result.ok) return showForm(ctx, type, 400, result.kept, result.errors);
      // SPEC §6: a registration taken identifier is not told here, to whoever typed it, but
      // after the code sent to the phone typed (showFinished); and each address may start
      // only so many registrations an hour, counted before the password is hashed.
      if (!(await pending.reserveAttempt(ctx.ip))) return showForm(ctx, type, 429, keptValues(type, form), {}, 'register.rate_limited');
      await kit.startRegistration(ctx, result.account, result.password);
    });
  }

  return { addRoutes };
}

// The registration form of one account type (SPEC R1–R3), in short steps (accounts/registration/
// steps.ts). Each post carries the values of the steps before it and is checked with them; a
// refused one shows the first step in error, a valid one the next step, and a valid last step
// starts the registration and goes on to the SMS code. A form posted whole, without a step,
// is checked whole.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { AccountType } from '../../accounts/index.ts';
import { parsePersonalIdNumber } from '../../accounts/identifiers/index.ts';
import { fieldsUpTo, firstStepInError, keptValues, postedStep, registrationSteps, validateRegistration, type FieldError } from '../../accounts/registration/index.ts';
import { readForm, showError } from '../../http/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { registerFormPage } from '../../../views/index.ts';
import { flowBase } from '../respond.ts';
import { isAccountType, type RegistrationKit } from './step-kit.ts';

export function formStep(kit: RegistrationKit) {
  const { config, clock, pending, csrf } = kit.deps;

  async function showForm(ctx: Context, type: AccountType, status: number, values: Record<string, string>, errors: Record<string, FieldError>, formError?: MessageKey, step = 1) {
    const base = flowBase(ctx);
    kit.render(ctx, status, registerFormPage(kit.shellFor(ctx, 'register.title'), {
      type,
      step,
      idBirthYear: idFacts(values)?.birthYear,
      passwordMinLength: config.passwordPolicy.minLength,
      csrfToken: csrf.issue(ctx, `register:${base}:${type}`),
      action: `${base}/register/${type}`,
      values,
      errors,
      clientName: await kit.clientName(ctx),
      formError,
      signInHref: kit.signInHref(ctx),
    }));
  }

  /** What a personal number already tells (IDENTIFIERS.md): gender and birth year. */
  function idFacts(values: Record<string, string>) {
    if (values.idType !== 'cccd' || values.idNumber === undefined) return undefined;
    const parsed = parsePersonalIdNumber(values.idNumber);
    return parsed.ok ? parsed.value : undefined;
  }

  /** The next step's values: the gender the personal number tells, unless one was chosen. */
  function prefilled(values: Record<string, string>): Record<string, string> {
    const facts = idFacts(values);
    return facts !== undefined && (values.gender ?? '') === '' ? { ...values, gender: facts.gender } : values;
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
      const step = postedStep(type, form.step);
      if (form.go === 'back') return showForm(ctx, type, 200, keptValues(type, form), {}, undefined, Math.max(1, step - 1));
      const result = validateRegistration(type, form, { now: clock.now(), passwordPolicy: config.passwordPolicy, fields: fieldsUpTo(type, step) });
      if (!result.ok) return showForm(ctx, type, 400, keptValues(type, form), result.errors, undefined, firstStepInError(type, result.errors));
      if (step < registrationSteps[type].length) return showForm(ctx, type, 200, prefilled(keptValues(type, form)), {}, undefined, step + 1);
      // SPEC §6: a registration taken identifier is not told here, to whoever typed it, but
      // after the code sent to the phone typed (showFinished); and each address may start
      // only so many registrations an hour, counted before the password is hashed.
      if (!(await pending.reserveAttempt(ctx.ip))) return showForm(ctx, type, 429, keptValues(type, form), {}, 'register.rate_limited', registrationSteps[type].length);
      await kit.startRegistration(ctx, result.account, result.password);
    });
  }

  return { addRoutes };
}

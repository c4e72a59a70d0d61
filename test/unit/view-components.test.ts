// The pages are built from one set of components and one escaping template, and the sources
// are held to it: an unquoted attribute or a raw() call would let a value become markup.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { consentPage } from '../../views/consent.ts';
import { consentOffer } from '../../src/oidc/consent-choice.ts';
import type { PageShell } from '../../views/layout.ts';
import { testProvince } from '../helpers/province.ts';
import { loginPage } from '../../views/login.ts';
import { otpPage } from '../../views/otp.ts';
import { forgotPasswordPage, newPasswordPage } from '../../views/password-reset.ts';
import { registerChoicePage, registerFormPage } from '../../views/register.ts';
import { passwordChangePage, passwordWarningPage, recoveryCodesPage, totpEnrolPage, totpPage } from '../../views/security.ts';

const root = new URL('../../', import.meta.url).pathname;

function sources(directory: string): { path: string; text: string }[] {
  return readdirSync(join(root, directory), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => {
      const path = join(entry.parentPath, entry.name).slice(root.length);
      return { path, text: readFileSync(join(root, path), 'utf8') };
    });
}

/** `name=${value}`: an attribute value without quotes, where escaping does not protect. */
function unquotedAttributes(text: string): string[] {
  return [...text.matchAll(/[\w-]+=\s*\$\{[^}]*\}/g)].map((match) => match[0]);
}

/** Calls of html.ts's raw(); knex's `.raw(` is SQL and not looked at here. */
function rawCalls(text: string): number {
  return [...text.matchAll(/(?<![.\w])raw\(/g)].length;
}

test('the checks find what they look for', (t) => {
  t.deepEqual(unquotedAttributes('html`<input value=${props.value} name="${name}">`'), ['value=${props.value}']);
  t.deepEqual(unquotedAttributes('html`<a href="${href}" class="x${extra}">`'), []);
  t.is(rawCalls('${raw(props.formHtml)} await knex.raw("SELECT 1")'), 1);
});

test('no page writes an attribute value without quotes', (t) => {
  for (const { path, text } of sources('views')) t.deepEqual(unquotedAttributes(text), [], path);
});

test('raw markup enters a page at one place only: the logout form oidc-provider builds', (t) => {
  const calls = [...sources('views'), ...sources('src')]
    .filter(({ path }) => path !== 'views/html.ts')
    .flatMap(({ path, text }) => Array.from({ length: rawCalls(text) }, () => path));
  t.deepEqual(calls, ['views/logout.ts']);
});

test('the CSRF field is written by its component only', (t) => {
  const writers = [...sources('views'), ...sources('src')].filter(({ text }) => text.includes('name="_csrf"')).map(({ path }) => path);
  t.deepEqual(writers, ['views/components.ts']);
});

const shell: PageShell = {
  locale: 'vi',
  title: 'Thử',
  province: testProvince,
  langSwitch: { vi: '/x?lang=vi', en: '/x?lang=en' },
};
const csrfToken = 'csrf-token-value';
const step = { csrfToken, action: '/interaction/abc/step', ticket: 'ticket-value' };

const pages: Record<string, string> = {
  login: loginPage(shell, { csrfToken, action: '/interaction/abc/login', clientName: 'App', forgotPasswordHref: '/f', registerHref: '/r', error: 'signin.failed' }),
  consent: consentPage(shell, { csrfToken, action: '/interaction/abc/confirm', clientName: 'App', offer: consentOffer({ scopes: ['openid', 'phone'], claims: [] }, { scopes: ['openid', 'phone'], claims: [] }, undefined), granted: { scopes: [], claims: [] } }),
  otp: otpPage(shell, { csrfToken, action: '/register/verify/p1', resendAction: '/register/verify/p1/resend', maskedPhone: '091****678', error: 'otp.invalid', errorParams: { remaining: 2 } }),
  forgot: forgotPasswordPage(shell, { csrfToken, action: '/forgot', error: 'signin.identifier_required' }),
  newPassword: newPasswordPage(shell, { csrfToken, action: '/forgot/password/c1', errors: ['password.too_short', 'password.mismatch'], passwordMinLength: 9 }),
  registerChoice: registerChoicePage(shell, { csrfToken, action: '/register' }),
  registerForm: registerFormPage(shell, { type: 'citizen', csrfToken, action: '/register/citizen', values: {}, errors: { fullName: { code: 'field.required' } } }),
  totp: totpPage(shell, { ...step, error: 'totp.invalid' }),
  totpEnrol: totpEnrolPage(shell, { ...step, qrDataUrl: 'data:image/png;base64,AA', secret: 'ABC', required: true, error: 'totp.invalid' }),
  recoveryCodes: recoveryCodesPage(shell, { ...step, codes: ['a-b'] }),
  passwordChange: passwordChangePage(shell, { ...step, reason: 'expired', maxAgeDays: 90, passwordMinLength: 9, errors: ['password.too_short', 'password.mismatch'] }),
  passwordWarning: passwordWarningPage(shell, { ...step, laterAction: '/interaction/abc/password-later', daysLeft: 3 }),
};

test('every form of every page carries exactly one CSRF field, with the token', (t) => {
  for (const [name, page] of Object.entries(pages)) {
    const forms = page.match(/<form\b[\s\S]*?<\/form>/g) ?? [];
    t.true(forms.length > 0, name);
    for (const form of forms) {
      t.deepEqual(form.match(/<input[^>]*name="_csrf"[^>]*>/g), ['<input type="hidden" name="_csrf" value="csrf-token-value">'], name);
    }
  }
});

test('every page in error has one summary, above its form, announced at once', (t) => {
  for (const name of ['login', 'otp', 'forgot', 'newPassword', 'registerForm', 'totp', 'totpEnrol', 'passwordChange']) {
    const page = pages[name];
    const summaries = page.match(/<div class="error-summary" id="[\w-]+" role="alert">/g) ?? [];
    t.is(summaries.length, 1, name);
    t.true(page.indexOf('error-summary') < page.indexOf('<form'), name);
    t.regex(page, /<div class="error-summary"[^>]*>\n<p><span class="error-summary__icon" aria-hidden="true"><\/span>/, name);
  }
});

function describedBy(page: string, id: string): string[] {
  const tag = new RegExp(`<input id="${id}"[^>]*>`).exec(page)![0];
  return /aria-describedby="([^"]*)"/.exec(tag)?.[1].split(' ') ?? [];
}

test('a new password is asked the same way at a reset and at a change during sign-in', (t) => {
  for (const name of ['newPassword', 'passwordChange']) {
    const page = pages[name];
    t.deepEqual(describedBy(page, 'password'), ['password-rules'], name);
    t.deepEqual(describedBy(page, 'passwordConfirmation'), ['passwordConfirmation-error'], name);
    t.regex(page, /<li class="checklist__item checklist__item--unmet" data-rule="length">[^\n]*Ít nhất 9 ký tự[^\n]*\(chưa đạt\)/, name);
    t.regex(page, /role="alert">[\s\S]*<a href="#password">Mật khẩu chưa đạt: ít nhất 9 ký tự\.<\/a>/, name);
    t.regex(page, /role="alert">[\s\S]*<a href="#passwordConfirmation">Hai lần nhập mật khẩu chưa giống nhau/, name);
    for (const id of ['password', 'passwordConfirmation']) t.regex(new RegExp(`<input id="${id}"[^>]*>`).exec(page)![0], /aria-invalid="true"/, `${name} ${id}`);
  }
});

import test, { type ExecutionContext } from 'ava';
import { provinces } from '../../src/accounts/provinces.ts';
import { registrationFields } from '../../src/accounts/registration/index.ts';
import type { PageShell } from '../../views/layout.ts';
import { testProvince } from '../helpers/province.ts';
import { otpPage } from '../../views/otp.ts';
import { forgotPasswordPage, newPasswordPage, noticePage } from '../../views/password-reset.ts';
import { registerChoicePage, registerFormPage } from '../../views/register.ts';

const shell: PageShell = {
  locale: 'vi',
  title: 'Đăng ký tài khoản',
  province: testProvince,
  langSwitch: { vi: '/register?lang=vi', en: '/register?lang=en' },
};
const english: PageShell = { ...shell, locale: 'en' };

const hostile = '"><script>alert(1)</script>';

const form = { csrfToken: 'csrf-token-value', action: '/register/citizen', values: {}, errors: {} };

/** Every visible form control: its tag and id. */
function controls(page: string): { tag: string; id: string }[] {
  return [...page.matchAll(/<(input|select)\b[^>]*>/g)]
    .filter((match) => !/type="hidden"/.test(match[0]))
    .map((match) => ({ tag: match[0], id: /\bid="([^"]+)"/.exec(match[0])?.[1] ?? '(no id)' }));
}

function controlTag(page: string, id: string): string {
  const found = controls(page).find((control) => control.id === id);
  if (found === undefined) throw new Error(`no control ${id}`);
  return found.tag;
}

function assertLabelled(t: ExecutionContext, page: string) {
  const found = controls(page);
  t.true(found.length > 0);
  for (const { id } of found) t.regex(page, new RegExp(`<label for="${id}">[^<]+`), id);
}

// Looks inside tags only: escaped text such as "onerror=" in a value is harmless.
function assertNoInlineScriptOrStyle(t: ExecutionContext, page: string) {
  const tags = page.match(/<[a-z][^>]*>/gi) ?? [];
  t.false(tags.some((tag) => /^<(script|style)\b/i.test(tag)), 'has a script or style element');
  t.false(tags.some((tag) => /\sstyle=/i.test(tag)), 'has a style attribute');
  t.false(tags.some((tag) => /\son[a-z]+=/i.test(tag)), 'has an event handler attribute');
}

/** The ids an input's aria-describedby points at all exist on the page. */
function describedBy(t: ExecutionContext, page: string, id: string): string[] {
  const ids = /aria-describedby="([^"]+)"/.exec(controlTag(page, id))?.[1].split(' ') ?? [];
  for (const target of ids) t.regex(page, new RegExp(`id="${target}"`), `${id} → ${target}`);
  return ids;
}

test('the choice page offers a citizen and an organization account, and sign-in instead', (t) => {
  const page = registerChoicePage(shell, { csrfToken: 'csrf-token-value', action: '/register', clientName: 'Dịch vụ công', signInHref: '/interaction/abc' });
  t.regex(page, /<form method="post" action="\/register">/);
  t.regex(page, /<input type="hidden" name="_csrf" value="csrf-token-value">/);
  t.regex(page, /<button type="submit" name="type" value="citizen"[^>]*>Cho cá nhân/);
  t.regex(page, /<button type="submit" name="type" value="organization"[^>]*>Cho tổ chức, doanh nghiệp/);
  t.regex(page, /<a href="\/interaction\/abc">Đã có tài khoản\? Đăng nhập<\/a>/);
  t.true(page.includes('Dịch vụ công'));
  assertNoInlineScriptOrStyle(t, page);
});

for (const type of ['citizen', 'organization'] as const) {
  test(`the ${type} form shows every declared field, each with a visible label`, (t) => {
    const page = registerFormPage(shell, { ...form, type });
    t.deepEqual(controls(page).map((control) => control.id), registrationFields[type].map((field) => field.name));
    assertLabelled(t, page);
    t.regex(page, /<input type="hidden" name="_csrf" value="csrf-token-value">/);
    assertNoInlineScriptOrStyle(t, page);
  });
}

test('the form asks the browser for the right keyboard and autofill', (t) => {
  const page = registerFormPage(shell, { ...form, type: 'citizen' });
  t.regex(controlTag(page, 'username'), /autocomplete="username" autocapitalize="none" autocorrect="off" spellcheck="false"/);
  t.regex(controlTag(page, 'password'), /type="password"[^>]*autocomplete="new-password"/);
  t.regex(controlTag(page, 'passwordConfirmation'), /type="password"[^>]*autocomplete="new-password"/);
  t.regex(controlTag(page, 'birthdate'), /type="date"[^>]*autocomplete="bday"/);
  t.regex(controlTag(page, 'phone'), /type="tel"[^>]*autocomplete="tel"/);
  t.regex(controlTag(page, 'email'), /type="email"[^>]*autocomplete="email"/);
  t.notRegex(controlTag(page, 'email'), /required/);
  t.regex(controlTag(page, 'fullName'), /required/);
  const organization = registerFormPage(shell, { ...form, type: 'organization' });
  t.regex(controlTag(organization, 'taxCode'), /inputmode="numeric"/);
});

test('the province is chosen from the catalogue and the personal number is the default document', (t) => {
  const page = registerFormPage(shell, { ...form, type: 'citizen' });
  const provinceSelect = /<select id="province"[\s\S]*?<\/select>/.exec(page)![0];
  for (const province of provinces) t.true(provinceSelect.includes(`<option value="${province.code}">${province.name}</option>`), province.code);
  t.regex(provinceSelect, /^<select id="province"[^>]*><option value="">— Chọn —<\/option>/);
  t.regex(page, /<option value="cccd" selected>Số định danh cá nhân/);
  t.regex(page, /<select id="nationality"[^>]*><option value="VN" selected>Việt Nam<\/option>/);
});

test('a chosen option is selected again when the form comes back', (t) => {
  const page = registerFormPage(shell, { ...form, type: 'citizen', values: { province: 'hue', gender: 'female', idType: 'passport', nationality: 'FR' } });
  t.regex(page, /<option value="hue" selected>Huế<\/option>/);
  t.regex(page, /<option value="female" selected>Nữ<\/option>/);
  t.regex(page, /<option value="passport" selected>Hộ chiếu<\/option>/);
  t.regex(page, /<option value="FR" selected>Pháp<\/option>/);
});

test('each error stands beside its field, tied by aria-describedby, and is summarized at the top', (t) => {
  const page = registerFormPage(shell, {
    ...form,
    type: 'citizen',
    values: { phone: '024 3825 1234' },
    errors: {
      phone: { code: 'phone.prefix', params: { prefix: '024' } },
      password: { code: 'password.weak', list: ['password.too_short', 'password.needs_digit'] },
    },
  });
  t.regex(controlTag(page, 'phone'), /aria-invalid="true"/);
  t.deepEqual(describedBy(t, page, 'phone'), ['phone-hint', 'phone-error']);
  t.regex(page, /<div class="field-error" id="phone-error">[\s\S]*Đầu số 024 không phải đầu số di động Việt Nam/);
  t.regex(page, /id="password-error">[\s\S]*<li>Mật khẩu phải dài hơn 8 ký tự \(ít nhất 9 ký tự\)\.<\/li><li>Mật khẩu cần có ít nhất một chữ số \(0–9\)\.<\/li>/);
  t.notRegex(controlTag(page, 'username'), /aria-invalid/);

  const summary = /<div class="error-summary" id="register-errors" role="alert">[\s\S]*?<\/div>/.exec(page)![0];
  t.regex(summary, /<a href="#phone">Số điện thoại di động: Đầu số 024/);
  t.regex(summary, /<a href="#password">Mật khẩu: /);
  t.true(summary.indexOf('#password') < summary.indexOf('#phone'), 'in the order of the form');
  t.true(page.indexOf('error-summary') < page.indexOf('<form'));
  t.regex(controlTag(page, 'phone'), /value="024 3825 1234"/);
});

test('a problem of the whole form is shown in the summary', (t) => {
  const page = registerFormPage(shell, { ...form, type: 'citizen', formError: 'register.duplicate_national_id' });
  t.regex(page, /role="alert">[\s\S]*Số giấy tờ này đã được dùng để đăng ký một tài khoản/);
});

test('passwords are never written back into the form', (t) => {
  const page = registerFormPage(shell, { ...form, type: 'citizen', values: { password: 'Sông-Hương-chảy-7', passwordConfirmation: 'Sông-Hương-chảy-7' } });
  t.false(page.includes('Sông-Hương-chảy-7'));
  t.notRegex(controlTag(page, 'password'), /value=/);
});

test('hostile values and client names are shown as text, not markup', (t) => {
  const page = registerFormPage(shell, {
    ...form,
    type: 'citizen',
    clientName: hostile,
    values: { fullName: hostile, province: hostile },
    errors: { street: { code: 'text.characters', params: { character: '<' } } },
  });
  t.false(page.includes('<script>alert(1)'));
  t.true(page.includes('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
  t.true(page.includes('Không dùng được ký tự “&lt;”'));
  assertNoInlineScriptOrStyle(t, page);
  t.notRegex(/<select id="province"[\s\S]*?<\/select>/.exec(page)![0], / selected/);
});

test('the registration pages are Vietnamese by default and English on request', (t) => {
  const vi = registerFormPage(shell, { ...form, type: 'citizen' });
  t.regex(vi, /<html lang="vi">/);
  t.regex(vi, /<h1 id="page-heading">Đăng ký tài khoản cá nhân<\/h1>/);
  t.regex(vi, /<label for="fullName">Họ và tên<\/label>/);
  t.regex(vi, /<legend>Giấy tờ tùy thân<\/legend>/);
  const en = registerFormPage(english, { ...form, type: 'citizen' });
  t.regex(en, /<html lang="en">/);
  t.regex(en, /<label for="fullName">Full name<\/label>/);
  t.regex(en, /<option value="FR">France<\/option>/);
});

const otp = { csrfToken: 'csrf-token-value', action: '/register/verify/p1', resendAction: '/register/verify/p1/resend', maskedPhone: '091****678' };

test('the code page asks for six digits with one-time-code autofill', (t) => {
  const page = otpPage(shell, otp);
  t.regex(controlTag(page, 'code'), /name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="\[0-9\]\{6\}" maxlength="6" required/);
  assertLabelled(t, page);
  t.true(page.includes('đến số 091****678.'));
  assertNoInlineScriptOrStyle(t, page);
});

test('the code page resends through its own small form with its own CSRF token', (t) => {
  const page = otpPage(shell, otp);
  const resend = /<form method="post" action="\/register\/verify\/p1\/resend"[^>]*>[\s\S]*?<\/form>/.exec(page)![0];
  t.regex(resend, /<input type="hidden" name="_csrf" value="csrf-token-value">/);
  t.regex(resend, /<button type="submit" id="resend"[^>]*>Gửi lại mã<\/button>/);
});

test('a wrong code is tied to the code field; an expired one points to the resend button', (t) => {
  const wrong = otpPage(shell, { ...otp, error: 'otp.invalid', errorParams: { remaining: 2 } });
  t.regex(wrong, /role="alert">[\s\S]*<a href="#code">Mã xác thực không đúng. Bạn còn 2 lần thử.<\/a>/);
  t.regex(controlTag(wrong, 'code'), /aria-invalid="true"/);
  t.deepEqual(describedBy(t, wrong, 'code'), ['code-hint', 'otp-error']);
  const expired = otpPage(shell, { ...otp, error: 'otp.expired' });
  t.regex(expired, /<a href="#resend">Mã xác thực đã hết hạn/);
  t.notRegex(controlTag(expired, 'code'), /aria-invalid/);
});

test('the code page shows a notice, and no phone number when it is not given', (t) => {
  const page = otpPage(shell, { ...otp, maskedPhone: '', notice: 'reset.requested' });
  t.false(page.includes('Mã xác thực gồm 6 chữ số đã được gửi'));
  t.regex(page, /<p class="notice" role="status">Nếu thông tin bạn nhập khớp với một tài khoản/);
});

test('the forgot-password page asks for the identifier like the sign-in page', (t) => {
  const page = forgotPasswordPage(shell, { csrfToken: 'csrf-token-value', action: '/forgot', identifier: hostile, error: 'signin.identifier_required' });
  t.regex(controlTag(page, 'identifier'), /autocomplete="username"[^>]*maxlength="256" required aria-invalid="true"/);
  t.deepEqual(describedBy(t, page, 'identifier'), ['identifier-hint', 'forgot-error']);
  t.regex(page, /role="alert">[\s\S]*<a href="#identifier">/);
  t.false(page.includes('<script>alert(1)'));
  assertLabelled(t, page);
  assertNoInlineScriptOrStyle(t, page);
});

test('the new-password page lists every broken rule and ties a mismatch to the confirmation', (t) => {
  const page = newPasswordPage(shell, {
    csrfToken: 'csrf-token-value',
    action: '/forgot/password/c1',
    errors: ['password.too_short', 'password.needs_upper', 'password.needs_special', 'password.mismatch'],
  });
  assertLabelled(t, page);
  for (const id of ['password', 'passwordConfirmation']) {
    t.regex(controlTag(page, id), /type="password" autocomplete="new-password"/);
    t.notRegex(controlTag(page, id), /value=/);
    t.regex(controlTag(page, id), /aria-invalid="true"/);
  }
  t.deepEqual(describedBy(t, page, 'password'), ['password-hint', 'password-error']);
  t.deepEqual(describedBy(t, page, 'passwordConfirmation'), ['passwordConfirmation-error']);
  const rules = /id="password-error">[\s\S]*?<\/ul>/.exec(page)![0];
  t.is(rules.match(/<li>/g)?.length, 3);
  t.regex(page, /role="alert">[\s\S]*<a href="#passwordConfirmation">Hai lần nhập mật khẩu chưa giống nhau/);
  assertNoInlineScriptOrStyle(t, page);
});

test('the notice page shows its text as text, with an optional way on', (t) => {
  const page = noticePage(shell, { title: 'Đổi mật khẩu', message: hostile, link: { href: '/interaction/abc', label: 'Đăng nhập' } });
  t.regex(page, /<h1 id="page-heading">Đổi mật khẩu<\/h1>/);
  t.false(page.includes('<script>alert(1)'));
  t.regex(page, /<a class="button button--primary" href="\/interaction\/abc">Đăng nhập<\/a>/);
  t.notRegex(noticePage(shell, { title: 'x', message: 'y' }), /class="button/);
});

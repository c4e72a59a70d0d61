import test, { type ExecutionContext } from 'ava';
import { provinces } from '../../src/accounts/provinces.ts';
import { registrationFields, registrationSteps } from '../../src/accounts/registration/index.ts';
import type { RegisterFormProps } from '../../views/register.ts';
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

/** The page of the step that asks field `name`. */
function stepWith(props: RegisterFormProps, name: string): string {
  const step = registrationSteps[props.type].findIndex((fields) => fields.some((field) => field.name === name)) + 1;
  if (step === 0) throw new Error(`no step asks ${name}`);
  return registerFormPage(shell, { ...props, step });
}

function assertLabelled(t: ExecutionContext, page: string) {
  const found = controls(page);
  t.true(found.length > 0);
  for (const { id } of found) t.regex(page, new RegExp(`<label for="${id}">[^<]+`), id);
}

// Looks inside tags only: escaped text such as "onerror=" in a value is harmless.
function assertNoInlineScriptOrStyle(t: ExecutionContext, page: string) {
  const tags = page.match(/<[a-z][^>]*>/gi) ?? [];
  // Scripts only as files of our own (assets/), never written into the page.
  t.false(tags.some((tag) => /^<style\b/i.test(tag) || (/^<script\b/i.test(tag) && !/\ssrc="\/assets\/[\w.-]+\.js"/.test(tag))), 'has an inline script or a style element');
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
  test(`the ${type} form asks every declared field once, step by step, each with a visible label`, (t) => {
    const steps = registrationSteps[type];
    t.is(steps.length, 4);
    const values = Object.fromEntries(registrationFields[type].filter((field) => field.kind !== 'password').map((field) => [field.name, `v-${field.name}`]));
    const asked: string[] = [];
    steps.forEach((fields, index) => {
      const page = registerFormPage(shell, { ...form, type, values, step: index + 1 });
      const shown = controls(page).map((control) => control.id);
      t.deepEqual(shown, fields.map((field) => field.name), `step ${index + 1}`);
      asked.push(...shown);
      t.regex(page, new RegExp(`<p class="progress">Bước ${index + 1}/4</p>`));
      t.regex(page, new RegExp(`<input type="hidden" name="step" value="${index + 1}">`));
      // What the other steps were given travels with this one, hidden; a password never does.
      for (const field of registrationFields[type].filter((f) => !fields.includes(f))) {
        if (field.kind === 'password') t.notRegex(page, new RegExp(`name="${field.name}"`));
        else t.regex(page, new RegExp(`<input type="hidden" name="${field.name}" value="v-${field.name}">`), field.name);
      }
      t.is(page.includes('name="go" value="back"'), index > 0, 'a way back from every step but the first');
      t.is(page.includes(' class="note"'), index === 3, 'the SMS note on the last step only');
      assertLabelled(t, page);
      t.regex(page, /<input type="hidden" name="_csrf" value="csrf-token-value">/);
      assertNoInlineScriptOrStyle(t, page);
    });
    t.deepEqual([...asked].sort(), registrationFields[type].map((field) => field.name).sort());
    t.is(registrationSteps[type].at(-1)!.some((field) => field.name === 'password'), true, 'the password comes last');
  });
}

test('a citizen gives the identity document first', (t) => {
  t.deepEqual(registrationSteps.citizen[0].map((field) => field.name), ['idType', 'idNumber', 'nationality', 'issueDate', 'issuePlace']);
});

test('the form asks the browser for the right keyboard and autofill, and dates as day/month/year', (t) => {
  const props = { ...form, type: 'citizen' as const };
  t.regex(controlTag(stepWith(props, 'username'), 'username'), /autocomplete="username" autocapitalize="none" autocorrect="off" spellcheck="false"/);
  t.regex(controlTag(stepWith(props, 'password'), 'password'), /type="password"[^>]*autocomplete="new-password"/);
  t.regex(controlTag(stepWith(props, 'password'), 'passwordConfirmation'), /type="password"[^>]*autocomplete="new-password"/);
  // Never type="date": its display order is the browser's (often mm/dd/yyyy), not Vietnam's.
  for (const name of ['birthdate', 'issueDate']) {
    const page = stepWith(props, name);
    t.regex(controlTag(page, name), /type="text"[^>]* inputmode="numeric"/);
    t.regex(page, new RegExp(`id="${name}-hint">Ngày/tháng/năm, ví dụ: 15/01/1990`));
  }
  t.regex(controlTag(stepWith(props, 'birthdate'), 'birthdate'), /autocomplete="bday"/);
  t.regex(controlTag(stepWith(props, 'phone'), 'phone'), /type="tel"[^>]*autocomplete="tel"/);
  t.regex(controlTag(stepWith(props, 'email'), 'email'), /type="email"[^>]*autocomplete="email"/);
  t.notRegex(controlTag(stepWith(props, 'email'), 'email'), /required/);
  t.regex(controlTag(stepWith(props, 'fullName'), 'fullName'), /required/);
  t.regex(controlTag(stepWith({ ...form, type: 'organization' }, 'taxCode'), 'taxCode'), /inputmode="numeric"/);
});

test('the birth date hint says the year the personal number already told', (t) => {
  const page = registerFormPage(shell, { ...form, type: 'citizen', step: 2, idBirthYear: 1990 });
  t.regex(page, /id="birthdate-hint">Theo số định danh, bạn sinh năm 1990\. Ghi ngày\/tháng\/năm, ví dụ: 15\/01\/1990/);
});

test('the province is chosen from the catalogue and the personal number is the default document, with a short label', (t) => {
  const props = { ...form, type: 'citizen' as const };
  const provinceSelect = /<select id="province"[\s\S]*?<\/select>/.exec(stepWith(props, 'province'))![0];
  for (const province of provinces) t.true(provinceSelect.includes(`<option value="${province.code}">${province.name}</option>`), province.code);
  t.regex(provinceSelect, /^<select id="province"[^>]*><option value="">— Chọn —<\/option>/);
  const documentStep = stepWith(props, 'idType');
  const labels = [.../<select id="idType"[\s\S]*?<\/select>/.exec(documentStep)![0].matchAll(/<option value="\w+"[^>]*>([^<]*)<\/option>/g)].map((match) => match[1]);
  t.deepEqual(labels, ['Căn cước (12 số)', 'CMND cũ (9 số)', 'Hộ chiếu']);
  // Short enough to show whole in a 360-px select; what each means is in the hint.
  for (const label of labels) t.true(label.length <= 20, label);
  t.regex(documentStep, /<option value="cccd" selected>Căn cước/);
  t.regex(documentStep, /id="idType-hint">[^<]*thẻ căn cước/);
  t.regex(documentStep, /<select id="nationality"[^>]*><option value="VN" selected>Việt Nam<\/option>/);
});

test('a chosen option is selected again when the form comes back', (t) => {
  const props = { ...form, type: 'citizen' as const, values: { province: 'hue', gender: 'female', idType: 'passport', nationality: 'FR' } };
  t.regex(stepWith(props, 'province'), /<option value="hue" selected>Huế<\/option>/);
  t.regex(stepWith(props, 'gender'), /<option value="female" selected>Nữ<\/option>/);
  t.regex(stepWith(props, 'idType'), /<option value="passport" selected>Hộ chiếu<\/option>/);
  t.regex(stepWith(props, 'nationality'), /<option value="FR" selected>Pháp<\/option>/);
});

test('each error stands beside its field, tied by aria-describedby; the summary at the top names the fields, briefly', (t) => {
  const page = stepWith({
    ...form,
    type: 'citizen',
    values: { phone: '024 3825 1234' },
    errors: {
      phone: { code: 'phone.prefix', params: { prefix: '024' } },
      password: { code: 'password.weak', list: ['password.too_short', 'password.needs_digit', 'password.common'] },
    },
  }, 'phone');
  t.regex(controlTag(page, 'phone'), /aria-invalid="true"/);
  t.deepEqual(describedBy(t, page, 'phone'), ['phone-hint', 'phone-error']);
  t.regex(page, /<div class="field-error" id="phone-error">[\s\S]*Đầu số 024 không phải đầu số di động Việt Nam/);
  // The password's broken rules are marked in its checklist, written once; the rest in words.
  t.deepEqual(describedBy(t, page, 'password'), ['password-rules', 'password-error']);
  t.deepEqual([...page.matchAll(/checklist__item--unmet" data-rule="(\w+)"/g)].map((match) => match[1]), ['length', 'digit']);
  t.regex(page, /id="password-error">[\s\S]*quá phổ biến/);
  t.notRegex(page, /Mật khẩu phải dài hơn 8 ký tự/);
  t.notRegex(controlTag(page, 'username'), /aria-invalid/);

  const summary = /<div class="error-summary" id="register-errors" role="alert">[\s\S]*?<\/div>/.exec(page)![0];
  t.regex(summary, /<li><a href="#phone">Số điện thoại di động<\/a><\/li>/);
  t.regex(summary, /<li><a href="#password">Mật khẩu<\/a><\/li>/);
  t.notRegex(summary, /Đầu số 024/, 'the whole message is at the field only');
  t.true(summary.indexOf('#password') < summary.indexOf('#phone'), 'in the order of the form');
  t.true(page.indexOf('error-summary') < page.indexOf('<form'));
  t.regex(controlTag(page, 'phone'), /value="024 3825 1234"/);
});

test('a problem of the whole form is shown in the summary', (t) => {
  const page = registerFormPage(shell, { ...form, type: 'citizen', formError: 'register.duplicate_national_id' });
  t.regex(page, /role="alert">[\s\S]*Số giấy tờ này đã được dùng để đăng ký một tài khoản/);
});

test('passwords are never written back into the form', (t) => {
  const values = { password: 'Sông-Hương-chảy-7', passwordConfirmation: 'Sông-Hương-chảy-7' };
  for (const step of [1, 2, 3]) t.false(registerFormPage(shell, { ...form, type: 'citizen', values, step }).includes('Sông-Hương-chảy-7'), `step ${step}`);
  const page = stepWith({ ...form, type: 'citizen', values }, 'password');
  t.false(page.includes('Sông-Hương-chảy-7'));
  t.notRegex(controlTag(page, 'password'), /value=/);
});

test('hostile values and client names are shown as text, not markup', (t) => {
  const page = stepWith({
    ...form,
    type: 'citizen',
    clientName: hostile,
    values: { fullName: hostile, province: hostile },
    errors: { street: { code: 'text.characters', params: { character: '<' } } },
  }, 'street');
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
  t.regex(vi, /<legend>Giấy tờ tùy thân<\/legend>/);
  t.regex(registerFormPage(shell, { ...form, type: 'citizen', step: 2 }), /<label for="fullName">Họ và tên<\/label>/);
  const en = registerFormPage(english, { ...form, type: 'citizen' });
  t.regex(en, /<html lang="en">/);
  t.regex(en, /<p class="progress">Step 1 of 4<\/p>/);
  t.regex(registerFormPage(english, { ...form, type: 'citizen', step: 2 }), /<label for="fullName">Full name<\/label>/);
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

test('the new-password page shows the rules once as a checklist, marks the ones not met, and ties a mismatch to the confirmation', (t) => {
  const fresh = newPasswordPage(shell, { csrfToken: 'csrf-token-value', action: '/forgot/password/c1', errors: [], passwordMinLength: 12 });
  const checklist = (page: string) => /<div class="checklist" id="password-rules"[\s\S]*?<\/div>/.exec(page)![0];
  // Before anything is typed: every rule, none marked, the configured length in words.
  t.is(checklist(fresh).match(/<li /g)?.length, 7);
  t.notRegex(checklist(fresh), /checklist__item--unmet/);
  t.regex(checklist(fresh), /Ít nhất 12 ký tự/);
  t.regex(checklist(fresh), /Chưa từng dùng cho tài khoản này/);
  t.notRegex(fresh, /role="alert"/);

  const page = newPasswordPage(shell, {
    csrfToken: 'csrf-token-value',
    action: '/forgot/password/c1',
    errors: ['password.too_short', 'password.needs_upper', 'password.needs_special', 'password.common', 'password.mismatch'],
    passwordMinLength: 12,
  });
  assertLabelled(t, page);
  for (const id of ['password', 'passwordConfirmation']) {
    t.regex(controlTag(page, id), /type="password" autocomplete="new-password"/);
    t.notRegex(controlTag(page, id), /value=/);
    t.regex(controlTag(page, id), /aria-invalid="true"/);
  }
  t.deepEqual(describedBy(t, page, 'password'), ['password-rules', 'password-error']);
  t.deepEqual(describedBy(t, page, 'passwordConfirmation'), ['passwordConfirmation-error']);
  // The rules are written once: in the checklist, three marked "chưa đạt" in words.
  const unmet = checklist(page).match(/<li class="checklist__item checklist__item--unmet" data-rule="(\w+)"/g)!.map((item) => /data-rule="(\w+)"/.exec(item)![1]);
  t.deepEqual(unmet, ['length', 'upper', 'special']);
  t.is(checklist(page).match(/\(chưa đạt\)/g)?.length, 3);
  t.is(page.split('Một chữ in hoa (A–Z)').length - 1, 1);
  // The summary names them in one short line that leads to the password; the common password
  // is said apart, under the field.
  t.regex(page, /role="alert">[\s\S]*<a href="#password">Mật khẩu chưa đạt: ít nhất 12 ký tự; một chữ in hoa \(A–Z\); một ký tự đặc biệt, ví dụ ! @ # \$ %\.<\/a>/);
  t.regex(page, /id="password-error">[\s\S]*quá phổ biến/);
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

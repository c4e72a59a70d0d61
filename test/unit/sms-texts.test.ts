// The SMS texts live in the catalogues beside the pages' messages; what a phone receives
// must still be one plain GSM-7 message, in Vietnamese unless told otherwise (SPEC §6).
import test from 'ava';
import { t as translate, type Locale } from '../../src/i18n/index.ts';
import { vi } from '../../src/i18n/vi.ts';
import { otpMessage } from '../../src/otp/index.ts';

// The GSM 03.38 basic characters a text may use without switching the whole SMS to UCS-2
// (70 characters) or spending two characters on an escape.
const gsm7 = /^[A-Za-z0-9 .,:;!?'"()/@%&+=<>#*$_-]*$/;
const smsKeys = (Object.keys(vi) as (keyof typeof vi)[]).filter((key) => key.startsWith('sms.otp.') || key.startsWith('sms.notice.'));

test('every SMS text fits one GSM-7 message in both languages', (t) => {
  t.true(smsKeys.length >= 6);
  for (const locale of ['vi', 'en'] as Locale[]) {
    for (const key of smsKeys) {
      const text = translate(locale, key, { code: '123456', minutes: 10 });
      t.regex(text, gsm7, `${locale} ${key}`);
      t.true(text.length <= 160, `${locale} ${key}: ${text.length} characters`);
      t.notRegex(text, /\{\w+\}/, `${locale} ${key}: every placeholder filled`);
    }
  }
});

test('the code SMS is Vietnamese by default and carries the code as one word of six digits', (t) => {
  for (const purpose of ['registration', 'password_reset', 'sign_in'] as const) {
    const text = otpMessage(purpose, '042917', 5);
    t.is(text, translate('vi', `sms.otp.${purpose}`, { code: '042917', minutes: 5 }));
    t.deepEqual(text.match(/\b(\d{6})\b/g), ['042917'], purpose);
    t.true(text.includes('5 phut'), purpose);
    t.not(otpMessage(purpose, '042917', 5, 'en'), text);
  }
});

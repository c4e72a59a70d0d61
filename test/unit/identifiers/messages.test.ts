import test from 'ava';
import { identifierMessages } from '../../../src/i18n/identifier-messages.ts';
import {
  cccdErrorCodes,
  cmndErrorCodes,
  normalizePersonName,
  parseLegacyIdNumber,
  parseMobilePhone,
  parsePassport,
  parsePersonalIdNumber,
  parseTaxCode,
  passportErrorCodes,
  personNameErrorCodes,
  phoneErrorCodes,
  taxCodeErrorCodes,
  type IdentifierError,
} from '../../../src/accounts/identifiers/index.ts';

const declaredCodes: string[] = [
  ...cccdErrorCodes,
  ...cmndErrorCodes,
  ...passportErrorCodes,
  ...taxCodeErrorCodes,
  ...phoneErrorCodes,
  ...personNameErrorCodes,
];

// Invalid inputs that between them reach every refusal; the first test proves they do.
const errors: IdentifierError[] = [
  ...['', 'x', '1', '000090001234'].map((input) => parsePersonalIdNumber(input)),
  parsePersonalIdNumber('046090001234', { birthdate: '1991-01-01' }),
  parsePersonalIdNumber('046090001234', { gender: 'female' }),
  ...['', 'x', '1'].map((input) => parseLegacyIdNumber(input)),
  parsePassport(''),
  parsePassport('X1', 'FRA'),
  parsePassport('X1'),
  parsePassport('X1', 'FR'),
  ...['', 'x', '0-1', '1', '046090001234', '0100107517', '0100107518-000'].map((input) => parseTaxCode(input)),
  ...['', 'x', '+1', '1', '011', '09'].map((input) => parseMobilePhone(input)),
  ...['', '1', '-', 'a'.repeat(101)].map((input) => normalizePersonName(input)),
].flatMap((result) => (result.ok ? [] : [result.error]));

test('the invalid inputs reach every declared code, and no undeclared one', (t) => {
  t.deepEqual(new Set(errors.map((error) => error.code)), new Set(declaredCodes));
});

for (const locale of ['vi', 'en'] as const) {
  test(`has a ${locale} message for every identifier error code, and for nothing else`, (t) => {
    const messages = identifierMessages[locale];
    t.deepEqual(Object.keys(messages).sort(), [...declaredCodes].sort());
    for (const code of declaredCodes) t.true(messages[code].trim().length > 20, code);
  });

  test(`fills every ${locale} placeholder from the parameters the parser gives`, (t) => {
    for (const error of errors) {
      const placeholders = [...identifierMessages[locale][error.code].matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      t.deepEqual(placeholders.sort(), Object.keys(error.params ?? {}).sort(), error.code);
    }
  });
}

test('writes the Vietnamese messages in Vietnamese, with diacritics, in NFC', (t) => {
  for (const code of declaredCodes) {
    const message = identifierMessages.vi[code];
    t.not(message, identifierMessages.en[code], code);
    t.regex(message, /[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]/iu, code);
    t.is(message, message.normalize('NFC'), code);
  }
});

import test from 'ava';
import { parseLegacyIdNumber, parsePassport } from '../../../src/accounts/identifiers/index.ts';

test('accepts a 9-digit identity card number, flagged legacy', (t) => {
  t.deepEqual(parseLegacyIdNumber('191234567'), { ok: true, value: { number: '191234567', legacy: true } });
  t.deepEqual(parseLegacyIdNumber(' 191 234 567 '), { ok: true, value: { number: '191234567', legacy: true } });
});

const refusedLegacy: [input: string, code: string, params?: Record<string, number>][] = [
  ['', 'cmnd.required'],
  ['  ', 'cmnd.required'],
  ['19123456A', 'cmnd.characters'],
  ['191.234.567', 'cmnd.characters'],
  ['19123456', 'cmnd.length', { length: 8 }],
  ['1912345678', 'cmnd.length', { length: 10 }],
  ['046090001234', 'cmnd.length', { length: 12 }],
];

for (const [input, code, params] of refusedLegacy) {
  test(`refuses the identity card number ${JSON.stringify(input)} with ${code}`, (t) => {
    t.deepEqual(parseLegacyIdNumber(input), { ok: false, error: params === undefined ? { code } : { code, params } });
  });
}

const acceptedPassports: [input: string, nationality: string | undefined, number: string, country: string][] = [
  ['C1234567', undefined, 'C1234567', 'VN'],
  ['c1234567', undefined, 'C1234567', 'VN'],
  [' C 1234567 ', 'VN', 'C1234567', 'VN'],
  ['B7654321', 'vn', 'B7654321', 'VN'],
  ['C1234567', '', 'C1234567', 'VN'],
  ['X12345', 'FR', 'X12345', 'FR'],
  ['123456789', 'US', '123456789', 'US'],
  ['ab1234567', 'de', 'AB1234567', 'DE'],
  ['A'.repeat(20), 'JP', 'A'.repeat(20), 'JP'],
];

for (const [input, nationality, number, country] of acceptedPassports) {
  test(`accepts passport ${JSON.stringify(input)} of ${nationality ?? 'no stated nationality'} as ${country} ${number}`, (t) => {
    t.deepEqual(parsePassport(input, nationality), { ok: true, value: { number, nationality: country } });
  });
}

const refusedPassports: [input: string, nationality: string | undefined, code: string][] = [
  ['', undefined, 'passport.required'],
  ['   ', 'FR', 'passport.required'],
  ['C123456', undefined, 'passport.vn_format'],
  ['C12345678', undefined, 'passport.vn_format'],
  ['CC234567', undefined, 'passport.vn_format'],
  ['12345678', 'VN', 'passport.vn_format'],
  ['Đ1234567', undefined, 'passport.vn_format'],
  ['C-1234567', undefined, 'passport.vn_format'],
  ['X12345', 'FRA', 'passport.nationality'],
  ['X12345', 'F', 'passport.nationality'],
  ['X12345', 'F1', 'passport.nationality'],
  ['X1234', 'FR', 'passport.foreign_format'],
  ['A'.repeat(21), 'FR', 'passport.foreign_format'],
  ['X12-345', 'FR', 'passport.foreign_format'],
  ['ﬀ123456', 'FR', 'passport.foreign_format'],
  ['<script>', 'FR', 'passport.foreign_format'],
];

for (const [input, nationality, code] of refusedPassports) {
  test(`refuses passport ${JSON.stringify(input)} of ${nationality ?? 'no stated nationality'} with ${code}`, (t) => {
    t.deepEqual(parsePassport(input, nationality), { ok: false, error: { code } });
  });
}

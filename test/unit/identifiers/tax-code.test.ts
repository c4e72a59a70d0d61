import test from 'ava';
import { parseTaxCode } from '../../../src/accounts/identifiers/index.ts';

const realCodes = ['0100107518', '0100109106', '0101248141'];

for (const code of realCodes) {
  test(`accepts the real tax code ${code}`, (t) => {
    t.deepEqual(parseTaxCode(code), { ok: true, value: { code, parent: code } });
  });

  test(`refuses every single-digit change of ${code}`, (t) => {
    for (let position = 0; position < 10; position++) {
      for (let digit = 0; digit <= 9; digit++) {
        if (String(digit) === code[position]) continue;
        const changed = code.slice(0, position) + digit + code.slice(position + 1);
        t.deepEqual(parseTaxCode(changed), { ok: false, error: { code: 'tax_code.check_digit' } }, changed);
      }
    }
  });
}

// 31·0 + 29·1 + 23·0 + 19·0 + 17·1 + 13·0 + 7·7 + 5·5 + 3·4 = 132 ≡ 0 (mod 11), so the
// formula gives 10 for 010010754_; IDENTIFIERS.md says accept 0 there.
test('accepts a check digit of 0 where the formula gives 10', (t) => {
  t.true(parseTaxCode('0100107540').ok);
  for (let digit = 1; digit <= 9; digit++) {
    t.like(parseTaxCode(`010010754${digit}`), { ok: false, error: { code: 'tax_code.check_digit' } });
  }
});

test('accepts a check digit of 0 where the formula gives 0', (t) => {
  t.true(parseTaxCode('0100107500').ok);
});

const dependentUnits: [input: string, code: string][] = [
  ['0100107518-001', '0100107518-001'],
  ['0100107518001', '0100107518-001'],
  ['0100107518-999', '0100107518-999'],
  ['0100109106 - 012', '0100109106-012'],
  [' 0101248141 123 ', '0101248141-123'],
  ['0100107518–001', '0100107518-001'],
];

for (const [input, code] of dependentUnits) {
  test(`accepts the dependent-unit tax code ${JSON.stringify(input)} as ${code}`, (t) => {
    t.deepEqual(parseTaxCode(input), { ok: true, value: { code, parent: code.slice(0, 10), branch: code.slice(11) } });
  });
}

test('accepts a tax code typed with spaces', (t) => {
  t.deepEqual(parseTaxCode(' 0100 107 518 '), { ok: true, value: { code: '0100107518', parent: '0100107518' } });
});

const refused: [input: string, code: string, params?: Record<string, number>][] = [
  ['', 'tax_code.required'],
  ['   ', 'tax_code.required'],
  ['MST 0100107518', 'tax_code.characters'],
  ['0100.107.518', 'tax_code.characters'],
  ['0100107518/001', 'tax_code.characters'],
  ['０１００１０７５１８', 'tax_code.characters'],
  ['0100-107518', 'tax_code.format'],
  ['0100107518-01', 'tax_code.format'],
  ['0100107518-0001', 'tax_code.format'],
  ['0100107518--001', 'tax_code.format'],
  ['0100107518-', 'tax_code.format'],
  ['-0100107518', 'tax_code.format'],
  ['010010751', 'tax_code.length', { length: 9 }],
  ['01001075180', 'tax_code.length', { length: 11 }],
  ['01001075180010', 'tax_code.length', { length: 14 }],
  ['046090001234', 'tax_code.personal_number'],
  ['046 090 001 234', 'tax_code.personal_number'],
  ['0100107518-000', 'tax_code.branch'],
  ['0100107518000', 'tax_code.branch'],
  ['0100107519-001', 'tax_code.check_digit'],
  ['0100107519001', 'tax_code.check_digit'],
];

for (const [input, code, params] of refused) {
  test(`refuses the tax code ${JSON.stringify(input)} with ${code}`, (t) => {
    t.deepEqual(parseTaxCode(input), { ok: false, error: params === undefined ? { code } : { code, params } });
  });
}

test('refuses a tax code whose check digit is wrong', (t) => {
  t.deepEqual(parseTaxCode('0100107517'), { ok: false, error: { code: 'tax_code.check_digit' } });
});

test('never identifies an organization by a 12-digit number, whatever its digits', (t) => {
  for (const input of ['000000000000', '999999999999', '010010751800']) {
    t.like(parseTaxCode(input), { ok: false, error: { code: 'tax_code.personal_number' } });
  }
});

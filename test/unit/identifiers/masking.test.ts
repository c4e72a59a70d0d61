import test from 'ava';
import { maskNationalId, maskTaxCode } from '../../../src/accounts/identifiers/index.ts';

const nationalIds: [description: string, input: string, masked: string][] = [
  ['a personal identification number', '046090001234', '0460******34'],
  ['an identity card number (CMND)', '191234567', '19*****67'],
  ['a Vietnamese passport number', 'C1234567', 'C1****67'],
  ['a 12-character foreign passport number', 'AB1234567890', 'AB********90'],
  ['a short foreign passport number', 'X12345', '******'],
  ['an empty value', '', ''],
];

for (const [description, input, masked] of nationalIds) {
  test(`masks ${description} as ${JSON.stringify(masked)}`, (t) => {
    t.is(maskNationalId(input), masked);
  });
}

test('masks a tax code, keeping the dependent unit visible', (t) => {
  t.is(maskTaxCode('0100107518'), '0100****18');
  t.is(maskTaxCode('0100107518-001'), '0100****18-001');
});

import test from 'ava';
import { addressClaim } from '../../src/oidc/claims.ts';

const cases: Array<[string, Record<string, unknown>, Record<string, string> | undefined]> = [
  [
    'a full address as registration stores it: house number and street, ward, province with its code',
    { address: { houseNumber: '12', street: 'Lê Lợi', ward: 'Phường Thuận Hóa', province: { code: 'hue', name: 'Huế' } } },
    { formatted: '12 Lê Lợi, Phường Thuận Hóa, Huế', street_address: '12 Lê Lợi', locality: 'Phường Thuận Hóa', region: 'Huế', region_code: 'hue', country: 'VN' },
  ],
  [
    'a province stored by name only (an earlier record)',
    { address: { ward: 'Xã Phú Vang', province: 'Huế' } },
    { formatted: 'Xã Phú Vang, Huế', locality: 'Xã Phú Vang', region: 'Huế', country: 'VN' },
  ],
  ['no address', {}, undefined],
  ['an address of blanks', { address: { street: '  ', ward: '' } }, undefined],
];

for (const [label, profile, expected] of cases) {
  test(label, (t) => {
    t.deepEqual(addressClaim(profile), expected);
  });
}

import test from 'ava';
import { findProvince, provinces, type Province } from '../../../src/accounts/provinces.ts';

// IDENTIFIERS.md: the 34 provincial-level units since 1 July 2025.
const cities = ['Hà Nội', 'Huế', 'Hải Phòng', 'Đà Nẵng', 'Hồ Chí Minh', 'Cần Thơ'];
const otherProvinces = [
  'Cao Bằng', 'Điện Biên', 'Hà Tĩnh', 'Lai Châu', 'Lạng Sơn', 'Nghệ An', 'Quảng Ninh', 'Thanh Hóa',
  'Sơn La', 'Tuyên Quang', 'Lào Cai', 'Thái Nguyên', 'Phú Thọ', 'Bắc Ninh', 'Hưng Yên', 'Ninh Bình',
  'Quảng Trị', 'Quảng Ngãi', 'Gia Lai', 'Khánh Hòa', 'Lâm Đồng', 'Đắk Lắk', 'Đồng Nai', 'Tây Ninh',
  'Vĩnh Long', 'Đồng Tháp', 'Cà Mau', 'An Giang',
];

test('lists the 34 provincial-level units: 6 cities and 28 provinces', (t) => {
  t.is(provinces.length, 34);
  t.deepEqual(provinces.filter((p) => p.kind === 'city').map((p) => p.name).sort(), [...cities].sort());
  t.deepEqual(provinces.filter((p) => p.kind === 'province').map((p) => p.name).sort(), [...otherProvinces].sort());
});

test('gives every unit a distinct code and an NFC name', (t) => {
  t.is(new Set(provinces.map((p) => p.code)).size, provinces.length);
  for (const { name } of provinces) t.is(name, name.normalize('NFC'));
});

test('finds a unit by its code', (t) => {
  t.deepEqual(findProvince('hue'), { code: 'hue', name: 'Huế', kind: 'city' });
  t.deepEqual(findProvince('dak-lak'), { code: 'dak-lak', name: 'Đắk Lắk', kind: 'province' });
});

test('finds nothing for a code that is not a current unit', (t) => {
  for (const code of ['ha-giang', 'thua-thien-hue', '', 'constructor', '__proto__']) t.is(findProvince(code), undefined);
});

test('cannot be changed at run time', (t) => {
  t.throws(() => (provinces as Province[]).push({ code: 'x', name: 'X', kind: 'city' }));
});

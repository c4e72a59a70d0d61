import test from 'ava';
import { parsePersonalIdNumber } from '../../../src/accounts/identifiers/index.ts';

// Copied from IDENTIFIERS.md rather than read from the module, so a typo in the data is caught.
const provinceCodes: Record<string, string> = {
  '001': 'Hà Nội', '002': 'Hà Giang', '004': 'Cao Bằng', '006': 'Bắc Kạn', '008': 'Tuyên Quang',
  '010': 'Lào Cai', '011': 'Điện Biên', '012': 'Lai Châu', '014': 'Sơn La', '015': 'Yên Bái',
  '017': 'Hòa Bình', '019': 'Thái Nguyên', '020': 'Lạng Sơn', '022': 'Quảng Ninh', '024': 'Bắc Giang',
  '025': 'Phú Thọ', '026': 'Vĩnh Phúc', '027': 'Bắc Ninh', '030': 'Hải Dương', '031': 'Hải Phòng',
  '033': 'Hưng Yên', '034': 'Thái Bình', '035': 'Hà Nam', '036': 'Nam Định', '037': 'Ninh Bình',
  '038': 'Thanh Hóa', '040': 'Nghệ An', '042': 'Hà Tĩnh', '044': 'Quảng Bình', '045': 'Quảng Trị',
  '046': 'Thừa Thiên Huế', '048': 'Đà Nẵng', '049': 'Quảng Nam', '051': 'Quảng Ngãi', '052': 'Bình Định',
  '054': 'Phú Yên', '056': 'Khánh Hòa', '058': 'Ninh Thuận', '060': 'Bình Thuận', '062': 'Kon Tum',
  '064': 'Gia Lai', '066': 'Đắk Lắk', '067': 'Đắk Nông', '068': 'Lâm Đồng', '070': 'Bình Phước',
  '072': 'Tây Ninh', '074': 'Bình Dương', '075': 'Đồng Nai', '077': 'Bà Rịa – Vũng Tàu', '079': 'Hồ Chí Minh',
  '080': 'Long An', '082': 'Tiền Giang', '083': 'Bến Tre', '084': 'Trà Vinh', '086': 'Vĩnh Long',
  '087': 'Đồng Tháp', '089': 'An Giang', '091': 'Kiên Giang', '092': 'Cần Thơ', '093': 'Hậu Giang',
  '094': 'Sóc Trăng', '095': 'Bạc Liêu', '096': 'Cà Mau',
};

test('reads the example number: registered in Thừa Thiên Huế, male, born 1990', (t) => {
  t.deepEqual(parsePersonalIdNumber('046090001234'), {
    ok: true,
    value: { number: '046090001234', provinceCode: '046', provinceName: 'Thừa Thiên Huế', gender: 'male', birthYear: 1990 },
  });
});

test('knows all 63 birth-registration province codes, with their names', (t) => {
  t.is(Object.keys(provinceCodes).length, 63);
  for (const [code, name] of Object.entries(provinceCodes)) {
    const result = parsePersonalIdNumber(`${code}090001234`);
    t.true(result.ok && result.value.provinceName === name, code);
  }
});

test('refuses every other three-digit province code', (t) => {
  for (let n = 0; n < 1000; n++) {
    const code = String(n).padStart(3, '0');
    if (Object.hasOwn(provinceCodes, code)) continue;
    t.deepEqual(parsePersonalIdNumber(`${code}090001234`), { ok: false, error: { code: 'cccd.province', params: { code } } });
  }
});

const centuryDigits: [digit: string, gender: 'male' | 'female', birthYear: number][] = [
  ['0', 'male', 1985],
  ['1', 'female', 1985],
  ['2', 'male', 2085],
  ['3', 'female', 2085],
  ['4', 'male', 2185],
  ['5', 'female', 2185],
  ['6', 'male', 2285],
  ['7', 'female', 2285],
  ['8', 'male', 2385],
  ['9', 'female', 2385],
];

for (const [digit, gender, birthYear] of centuryDigits) {
  test(`reads gender digit ${digit} as ${gender}, born in ${birthYear - 85}s`, (t) => {
    const result = parsePersonalIdNumber(`001${digit}85123456`);
    t.true(result.ok);
    if (result.ok) t.like(result.value, { gender, birthYear });
  });
}

test('reads a 2000s birth: 2 is a boy, 3 a girl', (t) => {
  t.like(parsePersonalIdNumber('079203000001'), { ok: true, value: { gender: 'male', birthYear: 2003 } });
  t.like(parsePersonalIdNumber('079303000001'), { ok: true, value: { gender: 'female', birthYear: 2003 } });
});

const spaced: [description: string, input: string][] = [
  ['groups of three', '046 090 001 234'],
  ['groups of four', '0460 9000 1234'],
  ['leading and trailing spaces', ' 046090001234 '],
  ['no-break spaces', '046\u00a0090\u00a0001\u00a0234'],
  ['a tab', '046\t090001234'],
];

for (const [description, input] of spaced) {
  test(`ignores ${description} in the number`, (t) => {
    t.like(parsePersonalIdNumber(input), { ok: true, value: { number: '046090001234' } });
  });
}

const refused: [input: string, code: string, params?: Record<string, string | number>][] = [
  ['', 'cccd.required'],
  ['   ', 'cccd.required'],
  ['046.090.001.234', 'cccd.characters'],
  ['046-090-001234', 'cccd.characters'],
  ['04609000123A', 'cccd.characters'],
  ['C1234567', 'cccd.characters'],
  ['０４６０９０００１２３４', 'cccd.characters'],
  ['-46090001234', 'cccd.characters'],
  ['04609000123', 'cccd.length', { length: 11 }],
  ['0460900012345', 'cccd.length', { length: 13 }],
  ['123456789', 'cccd.length', { length: 9 }],
  ['1', 'cccd.length', { length: 1 }],
  ['003090001234', 'cccd.province', { code: '003' }],
  ['000090001234', 'cccd.province', { code: '000' }],
  ['097090001234', 'cccd.province', { code: '097' }],
  ['999090001234', 'cccd.province', { code: '999' }],
];

for (const [input, code, params] of refused) {
  test(`refuses ${JSON.stringify(input)} with ${code}`, (t) => {
    t.deepEqual(parsePersonalIdNumber(input), { ok: false, error: params === undefined ? { code } : { code, params } });
  });
}

test('accepts a birth date and gender that agree with the number', (t) => {
  t.true(parsePersonalIdNumber('046090001234', { birthdate: '1990-05-17', gender: 'male' }).ok);
  t.true(parsePersonalIdNumber('046190001234', { birthdate: '1990-12-31', gender: 'female' }).ok);
  t.true(parsePersonalIdNumber('001205000001', { birthdate: '2005-01-01' }).ok);
});

test('refuses a birth date in another year than the number says', (t) => {
  t.deepEqual(parsePersonalIdNumber('046090001234', { birthdate: '1991-05-17' }), {
    ok: false,
    error: { code: 'cccd.birth_year_mismatch', params: { idYear: 1990, birthYear: 1991 } },
  });
});

test('refuses a birth date in the right year of the wrong century', (t) => {
  t.deepEqual(parsePersonalIdNumber('046090001234', { birthdate: '2090-05-17' }), {
    ok: false,
    error: { code: 'cccd.birth_year_mismatch', params: { idYear: 1990, birthYear: 2090 } },
  });
});

test('refuses a gender other than the number says', (t) => {
  t.deepEqual(parsePersonalIdNumber('046090001234', { gender: 'female' }), { ok: false, error: { code: 'cccd.gender_mismatch' } });
  t.deepEqual(parsePersonalIdNumber('046190001234', { gender: 'male' }), { ok: false, error: { code: 'cccd.gender_mismatch' } });
});

test('does not cross-check a birth date that is not YYYY-MM-DD, which its own field reports', (t) => {
  t.true(parsePersonalIdNumber('046090001234', { birthdate: '17/05/1991' }).ok);
  t.true(parsePersonalIdNumber('046090001234', { birthdate: '' }).ok);
});

test('reports a malformed number before any inconsistency with the person', (t) => {
  t.like(parsePersonalIdNumber('04609000123', { birthdate: '1991-01-01', gender: 'female' }), { error: { code: 'cccd.length' } });
});

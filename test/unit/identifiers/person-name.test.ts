import test from 'ava';
import { normalizePersonName } from '../../../src/accounts/identifiers/index.ts';

const vietnameseNames = ['Nguyễn Văn An', 'Trần Thị Ánh Tuyết', 'Đặng Thùy Trâm', 'Lê Ngọc Hân', 'Hồ Xuân Hương', 'Ưng Hoàng Phúc'];

for (const name of vietnameseNames) {
  test(`accepts the Vietnamese name ${name}`, (t) => {
    t.deepEqual(normalizePersonName(name), { ok: true, value: name });
  });

  test(`stores ${name} typed in NFD as the same NFC bytes`, (t) => {
    const decomposed = name.normalize('NFD');
    const result = normalizePersonName(decomposed);
    t.true(result.ok);
    if (result.ok) t.true(Buffer.from(result.value, 'utf8').equals(Buffer.from(name.normalize('NFC'), 'utf8')));
  });
}

test('accepts every Vietnamese vowel with every tone, in both cases, typed decomposed', (t) => {
  const vowels = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
  // No tone, huyền, sắc, hỏi, ngã, nặng.
  const tones = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
  for (const vowel of vowels) {
    for (const tone of tones) {
      for (const letter of [vowel, vowel.toUpperCase()]) {
        const decomposed = (letter.normalize('NFD') + tone).normalize('NFD');
        const result = normalizePersonName(decomposed);
        t.true(result.ok && [...result.value].length === 1, JSON.stringify(decomposed));
        t.true(result.ok && result.value === decomposed.normalize('NFC'));
      }
    }
  }
});

test('accepts đ and Đ', (t) => {
  t.deepEqual(normalizePersonName('Đỗ Đình Đức đ'), { ok: true, value: 'Đỗ Đình Đức đ' });
});

const normalized: [input: string, output: string][] = [
  ['  Nguyễn   Văn  An  ', 'Nguyễn Văn An'],
  ['Nguyễn\tVăn\nAn', 'Nguyễn Văn An'],
  ['Nguyễn\u00a0Văn\u3000An', 'Nguyễn Văn An'],
  ["O'Brien", "O'Brien"],
  ['O’Brien', "O'Brien"],
  ['Jean-Pierre Dupont', 'Jean-Pierre Dupont'],
  ['Jean‐Pierre', 'Jean-Pierre'],
  ['José María García', 'José María García'],
  ['Zoë Müller', 'Zoë Müller'],
  ['Øyvind Åsen', 'Øyvind Åsen'],
  ['Łukasz Żółć', 'Łukasz Żółć'],
  ["D'Angelo-Smith", "D'Angelo-Smith"],
];

for (const [input, output] of normalized) {
  test(`normalizes ${JSON.stringify(input)} to ${JSON.stringify(output)}`, (t) => {
    t.deepEqual(normalizePersonName(input), { ok: true, value: output });
  });
}

const badCharacters: [input: string, character: string][] = [
  ['<script>alert(1)</script>', '<'],
  ['Nguyễn Văn 2', '2'],
  ['R2D2', '2'],
  ['An 😀', '😀'],
  ['An ❤️', '❤'],
  ['J. R. R. Tolkien', '.'],
  ['Nguyễn_Văn_An', '_'],
  ['Robert"); DROP TABLE accounts;--', '"'],
  ['\u0000', 'U+0000'],
  ['An\u0007', 'U+0007'],
  ['\u001b[31mAn', 'U+001B'],
  ['An\u007f', 'U+007F'],
  ['An\u0085Bình', 'U+0085'],
  ['An\u202eBình', 'U+202E'],
  ['A\u200bn', 'U+200B'],
  ['A\u200dn', 'U+200D'],
  ['\u0301An', 'U+0301'],
  ['An \u0301', 'U+0301'],
  ['Иван', 'И'],
  ['Nguyễn Vаn', 'а'],
  ['王小明', '王'],
  ['Ｎｇｕｙễｎ', 'Ｎ'],
  ['ﬁona', 'ﬁ'],
  ['Ⅻ', 'Ⅻ'],
];

for (const [input, character] of badCharacters) {
  test(`refuses the name ${JSON.stringify(input)} for its character ${character}`, (t) => {
    t.deepEqual(normalizePersonName(input), { ok: false, error: { code: 'name.characters', params: { character } } });
  });
}

for (const input of ['-An', 'An-', "'An", "An'", "O''Brien", 'Jean--Pierre', 'Jean - Pierre', "Jean-'Pierre", "O' Brien", '-', "'"]) {
  test(`refuses the name ${JSON.stringify(input)} for punctuation not between letters`, (t) => {
    t.deepEqual(normalizePersonName(input), { ok: false, error: { code: 'name.punctuation' } });
  });
}

for (const input of ['', '   ', '\t\n\u00a0']) {
  test(`refuses the empty name ${JSON.stringify(input)}`, (t) => {
    t.deepEqual(normalizePersonName(input), { ok: false, error: { code: 'name.required' } });
  });
}

test('accepts a name of exactly the maximum length, counted in code points after NFC', (t) => {
  const name = 'ễ'.repeat(100);
  t.is(name.normalize('NFD').length, 300);
  t.deepEqual(normalizePersonName(name.normalize('NFD')), { ok: true, value: name });
});

test('refuses a name one code point over the maximum', (t) => {
  t.deepEqual(normalizePersonName('a'.repeat(101)), { ok: false, error: { code: 'name.too_long', params: { max: 100, length: 101 } } });
});

test('takes another maximum length when given', (t) => {
  t.true(normalizePersonName('Nguyễn An', { maxLength: 9 }).ok);
  t.deepEqual(normalizePersonName('Nguyễn Văn An', { maxLength: 9 }), {
    ok: false,
    error: { code: 'name.too_long', params: { max: 9, length: 13 } },
  });
});

test('handles 10 kB strings quickly, whatever they contain', (t) => {
  const hostile: [input: string, codeWithoutLengthLimit: string | undefined][] = [
    ['a'.repeat(10_240), undefined],
    ['a '.repeat(5_119) + '1', 'name.characters'],
    ["a-'".repeat(3_413), 'name.punctuation'],
    ['<script>'.repeat(1_280), 'name.characters'],
    ['\u0301'.repeat(10_240), 'name.characters'],
    ['😀'.repeat(5_120), 'name.characters'],
  ];
  const started = performance.now();
  for (const [input, code] of hostile) {
    t.like(normalizePersonName(input), { ok: false, error: { code: 'name.too_long' } });
    const unbounded = normalizePersonName(input, { maxLength: 20_000 });
    const actual: string | undefined = unbounded.ok ? undefined : unbounded.error.code;
    t.is(actual, code);
  }
  t.true(performance.now() - started < 1_000);
});

import test from 'ava';
import argon2 from 'argon2';
import { hashPassword, isReused, needsRehash } from '../../src/passwords/index.ts';

// Small parameters keep these quick; what is tested is the rule, not the cost.
const quick = { memoryCost: 8192, timeCost: 1, parallelism: 1 };
const owasp = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

// Newest first: the current password, then each earlier one.
const passwords = ['Hiện#Tại2026', 'Trước#Đó2025', 'Cũ#Hơn2024', 'Cũ#Nhất2023'];
const history = Promise.all(passwords.map((password) => hashPassword(password, quick)));

test('a new password equal to any earlier one is reused', async (t) => {
  const hashes = await history;
  for (const password of passwords) t.true(await isReused(password, hashes, 'all'), password);
});

test('a password never used before is not reused', async (t) => {
  t.false(await isReused('Mới#Toanh2026', await history, 'all'));
});

test('comparison is exact: another case or added character is a new password', async (t) => {
  const hashes = await history;
  t.false(await isReused('hiện#tại2026', hashes, 'all'));
  t.false(await isReused('Hiện#Tại2026!', hashes, 'all'));
});

test('with a depth, only that many of the most recent passwords are checked', async (t) => {
  const hashes = await history;
  t.true(await isReused('Hiện#Tại2026', hashes, 1));
  t.false(await isReused('Trước#Đó2025', hashes, 1));
  t.true(await isReused('Cũ#Hơn2024', hashes, 3));
  t.false(await isReused('Cũ#Nhất2023', hashes, 3));
  t.true(await isReused('Cũ#Nhất2023', hashes, 4));
  t.true(await isReused('Cũ#Nhất2023', hashes, 100));
});

test('an account without earlier passwords has nothing to reuse', async (t) => {
  t.false(await isReused('Hiện#Tại2026', [], 'all'));
});

test('an unreadable entry in the history is skipped, not fatal', async (t) => {
  const hashes = ['not a hash', ...(await history)];
  t.true(await isReused('Cũ#Nhất2023', hashes, 'all'));
  t.false(await isReused('Mới#Toanh2026', hashes, 'all'));
});

test('40 earlier passwords at the OWASP parameters are all checked', async (t) => {
  const earlier = Array.from({ length: 40 }, (_, index) => `Mật#Khẩu${index}Cũ`);
  const hashes = await Promise.all(earlier.map((password) => hashPassword(password, owasp)));
  t.true(await isReused(earlier[0], hashes, 'all'));
  t.true(await isReused(earlier[39], hashes, 'all'));
  t.false(await isReused('Mật#Khẩu40Cũ', hashes, 'all'));
  t.false(await isReused(earlier[39], hashes, 39));
});

test('a hash made with the configured parameters needs no rehash', async (t) => {
  t.false(needsRehash(await hashPassword('Hiện#Tại2026', quick), quick));
});

test('a hash made with other parameters needs a rehash', async (t) => {
  const hash = await hashPassword('Hiện#Tại2026', quick);
  t.true(needsRehash(hash, owasp));
  t.true(needsRehash(hash, { ...quick, memoryCost: 16384 }));
  t.true(needsRehash(hash, { ...quick, timeCost: 2 }));
  t.true(needsRehash(hash, { ...quick, parallelism: 2 }));
});

test('a hash of another argon2 variant needs a rehash to argon2id', async (t) => {
  const hash = await argon2.hash('Hiện#Tại2026', { type: argon2.argon2i, ...quick });
  t.true(needsRehash(hash, quick));
});

test('a stored value that is not an argon2 hash needs a rehash', (t) => {
  t.true(needsRehash('$2b$10$abcdefghijklmnopqrstuv', quick));
  t.true(needsRehash('$argon2id$garbage', quick));
});

import test from 'ava';
import { createRequire } from 'node:module';
import { CookieSigner } from '../../src/oidc/cookie-signer.ts';

// Keygrip is what Koa's cookies use by default (a dependency of koa): the signatures must be its own.
const Keygrip = createRequire(import.meta.url)('keygrip') as new (keys: string[]) => { sign(data: string): string; index(data: string, digest: string): number };

const keys = ['newest-cookie-key-0123456789abcdef', 'older-cookie-key-fedcba9876543210'];
const data = '_session=Zk3x9QeVYt-bUfd0JqHn2; path=/; httponly';

test('signs exactly as Keygrip does, so cookies signed by either verify with the other', (t) => {
  const signer = new CookieSigner(keys);
  const keygrip = new Keygrip(keys);
  for (const value of [data, '', 'Nguyễn Thị Hoa', 'x'.repeat(4096)]) {
    t.is(signer.sign(value), keygrip.sign(value));
    t.is(keygrip.index(value, signer.sign(value)), 0);
  }
});

test('a cookie signed with an older key still verifies and says which key signed it', (t) => {
  const older = new CookieSigner([keys[1]]);
  const signer = new CookieSigner(keys);
  t.is(signer.index(data, older.sign(data)), 1);
  t.true(signer.verify(data, older.sign(data)));
});

test('a tampered value, a tampered or truncated signature and a foreign key are refused', (t) => {
  const signer = new CookieSigner(keys);
  const signature = signer.sign(data);
  t.false(signer.verify(`${data}x`, signature));
  t.false(signer.verify(data, `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`));
  t.false(signer.verify(data, signature.slice(0, -2)));
  t.false(signer.verify(data, ''));
  t.false(signer.verify(data, `${signature}=`), 'padding is not the same signature');
  t.false(new CookieSigner(['another-deployment-key']).verify(data, signature));
});

test('refuses to start without a key', (t) => {
  t.throws(() => new CookieSigner([]), { message: /at least one key/ });
});

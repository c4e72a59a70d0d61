import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleSmsSender } from '../../src/sms/console-sender.ts';
import { createSmsSender, parseSmsConfig, SmsDeliveryError } from '../../src/sms/index.ts';

async function dataDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xacthuc-sms-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function outboxLines(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  if (!text.endsWith('\n')) throw new Error('the outbox does not end with a complete line');
  return text.trimEnd().split('\n').map((line) => JSON.parse(line));
}

test('each message is appended as one JSON line {to, body, at}, creating the data directory', async (t) => {
  const dir = join(await dataDir(t), 'not-yet-created');
  const at = new Date('2026-03-01T08:30:00.000Z');
  const config = parseSmsConfig({}, dir);
  if (config.provider !== 'console') throw new Error('console is the default provider');
  const sender = new ConsoleSmsSender(config, { now: () => at });

  await sender.send({ to: '+84912345678', body: 'Mã xác thực: 493817' });
  await sender.send({ to: '+84987654321', body: 'Dòng một\nDòng "hai"' });

  t.deepEqual(await outboxLines(join(dir, 'sms-outbox.jsonl')), [
    { to: '+84912345678', body: 'Mã xác thực: 493817', at: '2026-03-01T08:30:00.000Z' },
    { to: '+84987654321', body: 'Dòng một\nDòng "hai"', at: '2026-03-01T08:30:00.000Z' },
  ]);
});

test('the time is the current time in ISO 8601', async (t) => {
  const outbox = join(await dataDir(t), 'outbox.jsonl');
  const before = Date.now();
  await createSmsSender(parseSmsConfig({ SMS_OUTBOX: outbox }, 'unused')).send({ to: '+84912345678', body: 'x' });
  const [line] = (await outboxLines(outbox)) as Array<{ at: string }>;
  t.regex(line.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  t.true(Date.parse(line.at) >= before - 1 && Date.parse(line.at) <= Date.now());
});

test('50 concurrent sends leave 50 intact lines', async (t) => {
  const outbox = join(await dataDir(t), 'outbox.jsonl');
  const sender = createSmsSender(parseSmsConfig({ SMS_OUTBOX: outbox }, 'unused'));
  // Long bodies make a torn or interleaved write show up as a line that does not parse.
  const messages = Array.from({ length: 50 }, (_, i) => ({ to: `+849${String(i).padStart(8, '0')}`, body: `${i}:`.padEnd(4000, 'ư') }));
  await Promise.all(messages.map((message) => sender.send(message)));
  const lines = (await outboxLines(outbox)) as Array<{ to: string; body: string }>;
  t.is(lines.length, 50);
  t.deepEqual(
    lines.map(({ to, body }) => ({ to, body })).sort((a, b) => a.to.localeCompare(b.to)),
    messages,
  );
});

test('an outbox that cannot be written is a delivery error without the body', async (t) => {
  const dir = await dataDir(t);
  // The outbox path is a directory: appendFile fails with EISDIR.
  const sender = createSmsSender(parseSmsConfig({ SMS_OUTBOX: dir }, 'unused'));
  const error = await t.throwsAsync(sender.send({ to: '+84912345678', body: 'Mã 493817' }), { instanceOf: SmsDeliveryError });
  t.is(error.provider, 'console');
  t.is(error.reason, 'cannot write the outbox (EISDIR)');
});

// The machine's argon2id ceiling: verifications per second with the configured parameters,
// as many in flight as libuv has threads (the server's pool size), through the
// same code the sign-in uses. Forked by run.ts: { durationMs, warmupMs } in; out, the rate
// and the CPU one verification costs.
import { loadConfig } from '../src/config.ts';
import { hashPassword, verifyPassword } from '../src/passwords/index.ts';

const { argon2 } = loadConfig();
const threads = Number(process.env.UV_THREADPOOL_SIZE || 4);
const hash = await hashPassword('ceiling-password', argon2);

process.on('message', async ({ durationMs, warmupMs }: { durationMs: number; warmupMs: number }) => {
  const from = performance.now() + warmupMs;
  const until = from + durationMs;
  let completed = 0;
  let all = 0;
  let wrong = 0;
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: threads }, async () => {
    while (performance.now() < until) {
      const ok = await verifyPassword(hash, 'ceiling-password');
      const ended = performance.now();
      all += 1;
      if (!ok) wrong += 1;
      if (ended >= from && ended <= until) completed += 1;
    }
  }));
  const used = process.cpuUsage(cpu);
  process.send!({ perSecond: completed / (durationMs / 1000), cpuMsPerVerify: (used.user + used.system) / 1000 / all, wrong });
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });

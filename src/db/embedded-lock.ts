// PGlite opens its data directory without any lock of its own: two processes on one
// directory would corrupt it. A pid file turns that into a clear refusal.
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export class DatabaseInUseError extends Error {
  readonly dataDir: string;
  readonly pid: number;

  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by another xacthuc process (pid ${pid}). ` +
        'Stop that process first, or set DATABASE_URL to use PostgreSQL, which many processes can share.',
    );
    this.name = 'DatabaseInUseError';
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** Whether process `pid` still runs on this machine (signal 0 probes without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, 'embedded-db.pid');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await unlink(file).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (pid > 0 && pid !== process.pid && isProcessAlive(pid)) throw new DatabaseInUseError(dataDir, pid);
      // A stale lock left by a process that died: take it over.
      await unlink(file).catch(() => {});
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

// SPEC §4: the development and test "provider". Each message is one JSON line, so a
// developer (or a test) reads the code with `tail -f` or by parsing the last line.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../clock.ts';
import type { ConsoleSmsConfig } from './config.ts';
import { SmsDeliveryError, type SmsMessage, type SmsSender } from './sender.ts';

export class ConsoleSmsSender implements SmsSender {
  readonly provider = 'console';
  readonly #outboxPath: string;
  readonly #clock: Clock;

  constructor(config: ConsoleSmsConfig, clock: Clock = systemClock) {
    this.#outboxPath = config.outboxPath;
    this.#clock = clock;
  }

  async send(message: SmsMessage): Promise<void> {
    const line = `${JSON.stringify({ to: message.to, body: message.body, at: this.#clock.now().toISOString() })}\n`;
    try {
      await mkdir(dirname(this.#outboxPath), { recursive: true });
      // One write per line to a file opened with O_APPEND: concurrent sends land as whole
      // lines, never interleaved.
      await appendFile(this.#outboxPath, line, 'utf8');
    } catch (error) {
      throw new SmsDeliveryError(this.provider, `cannot write the outbox (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
    }
  }
}

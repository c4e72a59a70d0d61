import test from 'ava';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { parseSmsConfig } from '../../src/sms/config.ts';
import { HttpSmsSender } from '../../src/sms/http-sender.ts';
import { SmsDeliveryError } from '../../src/sms/index.ts';

interface GatewayRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A brandname SMS gateway on localhost that answers `status` (echoing the request, as some
 * do), or never answers when `status` is 'hang'.
 */
async function startGateway(status: number | 'hang' = 200) {
  const received: GatewayRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (status === 'hang') return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ CodeResult: status === 200 ? '100' : '99', request: Buffer.concat(chunks).toString('utf8') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/api/send`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function httpSender(env: Record<string, string>, timeoutMs?: number): HttpSmsSender {
  const config = parseSmsConfig({ SMS_PROVIDER: 'http', ...env }, 'var');
  if (config.provider !== 'http') throw new Error('expected an HTTP gateway configuration');
  return new HttpSmsSender(config, timeoutMs);
}

const tricky = { to: '+84912345678', body: 'Mã "OTP" của bạn: 493817\nHết hạn sau 5 phút \\ Huế' };

test('the default template posts {"to","message"} as JSON', async (t) => {
  const gateway = await startGateway();
  t.teardown(gateway.close);
  await httpSender({ SMS_HTTP_URL: gateway.url }).send(tricky);
  t.is(gateway.received.length, 1);
  t.is(gateway.received[0].method, 'POST');
  t.regex(gateway.received[0].headers['content-type'] ?? '', /^application\/json/);
  t.deepEqual(JSON.parse(gateway.received[0].body), { to: tricky.to, message: tricky.body });
});

test('quotes, line breaks and Vietnamese in the body stay valid JSON in a custom template', async (t) => {
  const gateway = await startGateway();
  t.teardown(gateway.close);
  const template = '{"Phone":"{{to_national}}","Content":"{{body}}","Brandname":"HUE-S","SmsType":"2","Meta":{"e164":"{{to}}"}}';
  await httpSender({ SMS_HTTP_URL: gateway.url, SMS_HTTP_BODY_TEMPLATE: template }).send(tricky);
  t.deepEqual(JSON.parse(gateway.received[0].body), {
    Phone: '0912345678',
    Content: tricky.body,
    Brandname: 'HUE-S',
    SmsType: '2',
    Meta: { e164: '+84912345678' },
  });
});

test('the configured auth header is sent as given', async (t) => {
  const gateway = await startGateway();
  t.teardown(gateway.close);
  await httpSender({ SMS_HTTP_URL: gateway.url, SMS_HTTP_AUTH_HEADER: 'X-Api-Key: k3y:with:colons' }).send(tricky);
  t.is(gateway.received[0].headers['x-api-key'], 'k3y:with:colons');
});

for (const status of [500, 401, 302]) {
  test(`a gateway answering ${status} is a delivery error with the status, without the body`, async (t) => {
    const gateway = await startGateway(status);
    t.teardown(gateway.close);
    const error = await t.throwsAsync(httpSender({ SMS_HTTP_URL: gateway.url, SMS_HTTP_AUTH_HEADER: 'Authorization: Bearer s3cret' }).send(tricky), {
      instanceOf: SmsDeliveryError,
    });
    t.is(error.provider, 'http');
    t.is(error.reason, `gateway answered HTTP ${status}`);
    const everything = `${error.message} ${inspect(error, { depth: 10, showHidden: true })}`;
    for (const secret of ['493817', tricky.to, 's3cret']) t.false(everything.includes(secret));
  });
}

test('a gateway that never answers fails the send after the request timeout', async (t) => {
  const gateway = await startGateway('hang');
  t.teardown(gateway.close);
  const error = await t.throwsAsync(httpSender({ SMS_HTTP_URL: gateway.url }, 300).send(tricky), { instanceOf: SmsDeliveryError });
  t.is(error.reason, 'no answer within 300 ms');
});

test('an unreachable gateway is a delivery error naming the network failure', async (t) => {
  const gateway = await startGateway();
  await gateway.close();
  const error = await t.throwsAsync(httpSender({ SMS_HTTP_URL: gateway.url }).send(tricky), { instanceOf: SmsDeliveryError });
  t.is(error.reason, 'gateway unreachable (ECONNREFUSED)');
});

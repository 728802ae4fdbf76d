// `npm run warehouse -- --port P --data DIR`: the REFERENCE WAREHOUSE for development and tests
// (never part of the station). Prints its address and the test client's credentials, then
// serves until Ctrl+C.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startReferenceWarehouse } from './reference-warehouse.js';

const usage = `Usage: npm run warehouse -- [--port P] [--data DIR] [--host ADDR] [--public-url URL]
                            [--tls-key FILE --tls-cert FILE --tls-ca FILE] [--token-ttl SECONDS] [--json]

Starts the reference warehouse (development and test infrastructure, not a production server)
on 127.0.0.1: OpenID provider (client credentials), tus uploads and the record API of
docs/warehouse-protocol.md. --host exists for the benchmark's own network namespace.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      data: { type: 'string', default: path.join(os.tmpdir(), 'sohoa-reference-warehouse') },
      host: { type: 'string', default: '127.0.0.1' },
      'public-url': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-ca': { type: 'string' },
      'token-ttl': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  // Test infrastructure: loopback, or a private address inside a network namespace (the benchmark), never 0.0.0.0.
  if (
    !/^(127\.\d+\.\d+\.\d+|::1|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+)$/.test(
      values.host,
    )
  ) {
    throw new Error(`--host must be a loopback or private address, not ${values.host}`);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0–65535, not ${values.port}`);
  const tlsKey = values['tls-key'];
  const tlsCert = values['tls-cert'];
  const tlsCa = values['tls-ca'];
  if ((tlsKey === undefined) !== (tlsCert === undefined) || (tlsKey === undefined) !== (tlsCa === undefined)) {
    throw new Error('--tls-key, --tls-cert and --tls-ca go together');
  }
  const warehouse = await startReferenceWarehouse({
    dataDir: values.data,
    port,
    host: values.host,
    ...(values['public-url'] === undefined ? {} : { publicUrl: values['public-url'] }),
    ...(tlsKey === undefined || tlsCert === undefined || tlsCa === undefined
      ? {}
      : { tls: { key: fs.readFileSync(tlsKey), cert: fs.readFileSync(tlsCert), ca: fs.readFileSync(tlsCa) } }),
    ...(values['token-ttl'] === undefined ? {} : { accessTokenTtlSeconds: Number(values['token-ttl']) }),
  });
  const facts = {
    url: warehouse.url,
    publicUrl: warehouse.publicUrl,
    clientId: warehouse.client.id,
    clientSecret: warehouse.client.secret,
    data: path.resolve(values.data),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(facts)}\n`);
  } else {
    process.stdout.write(`Reference warehouse (development and tests only) at ${warehouse.publicUrl}
  records:        ${warehouse.publicUrl}/api/v1/records
  OpenID issuer:  ${warehouse.publicUrl}  (/.well-known/openid-configuration)
  tus uploads:    ${warehouse.publicUrl}/files/
  data folder:    ${facts.data}
Test client:
  warehouse.clientId      ${warehouse.client.id}
  client secret           ${warehouse.client.secret}
Point a station at it:
  sohoa settings file: { "warehouse": { "url": "${warehouse.publicUrl}", "clientId": "${warehouse.client.id}", "allowInsecureLoopback": true } }
  echo '${warehouse.client.secret}' | sohoa sync --set-secret
Ctrl+C stops it.
`);
  }
  const stop = (): void => {
    void warehouse.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`warehouse: ${(error as Error).message}\n`);
  process.exit(1);
});

// Memory at the ingest edge with raw HTTP (issue 8): bodies that inflate to 200 MiB, without and with
// credentials, against the Release server. The bounds are generous (the server idles near 110 MB;
// before the fix the unauthenticated burst took it to 3.75 GB and it stayed at 4.85 GB after).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { startServer } from './server.mjs';

const MiB = 1024 * 1024;
let server;

before(async () => { server = await startServer(); });

after(async () => {
  if (server) {
    const code = await server.stop();
    assert.equal(code, 0, `server exit code\n${server.output()}`);
  }
});

function memory() {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)[1]);
  return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

function envelopeUrl() {
  const project = new URL(server.dsn).pathname.replace(/\//g, '');
  return `${server.url}/api/${project}/envelope/`;
}

test('unauthenticated gzip bombs are answered 401 and the server never grows past a few hundred MB', async () => {
  const bomb = gzipSync(Buffer.alloc(200 * MiB, ' '), { level: constants.Z_BEST_COMPRESSION });
  for (let round = 0; round < 2; round++) {
    const statuses = await Promise.all(Array.from({ length: 8 }, async () => {
      const response = await fetch(envelopeUrl(), { method: 'POST', body: bomb, headers: { 'Content-Encoding': 'gzip' } });
      const body = await response.json();
      return `${response.status} ${body.detail}`;
    }));
    assert.deepEqual(statuses, Array(8).fill('401 bad envelope authentication header'));
  }

  const { peak } = memory();
  assert.ok(peak < 400e6, `peak RSS ${(peak / 1e6).toFixed(0)} MB`);
});

test('after a burst of authenticated 200 MiB bodies the memory is given back', async () => {
  const key = new URL(server.dsn).username;
  const zeros = Buffer.alloc(199 * MiB);
  const header = Buffer.from(`{"event_id":"${'fedcba9876543210'.repeat(2)}"}\n{"type":"attachment","length":${zeros.length},"filename":"zeros.bin"}\n`);
  const body = gzipSync(Buffer.concat([header, zeros]), { level: constants.Z_BEST_COMPRESSION });
  const statuses = await Promise.all(Array.from({ length: 4 }, async () => {
    const response = await fetch(envelopeUrl(), {
      method: 'POST', body,
      headers: { 'Content-Encoding': 'gzip', 'X-Sentry-Auth': `Sentry sentry_key=${key}, sentry_version=7` },
    });
    await response.arrayBuffer();
    return response.status;
  }));

  // The budget serves one body past it at a time; the others may wait and get 503 (never 500).
  assert.ok(statuses.includes(200), `statuses ${statuses}`);
  assert.ok(statuses.every((s) => s === 200 || s === 503), `statuses ${statuses}`);
  await server.waitFor('RSS under 400 MB after the burst', () => memory().rss < 400e6, 45_000);
});

// The real @sentry/node SDK against Grains' 429 (issue 11 §2): after a 429 with X-Sentry-Rate-Limits
// the SDK sends no error events until retry_after, then reports the events it dropped in a
// client_report (reason ratelimit_backoff). Requests are counted from the server's side by a
// pass-through proxy in front of it: the DSN points at the proxy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import * as Sentry from '@sentry/node';
import { startServer } from './server.mjs';

const WINDOW = 20;
let server;
let proxy;
const seen = []; // { at, types, status, limits, body }

before(async () => {
  server = await startServer();
  const target = new URL(server.url);
  proxy = createServer((incoming, outgoing) => {
    const chunks = [];
    incoming.on('data', (c) => chunks.push(c));
    incoming.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = incoming.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const forward = httpRequest({
        host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers,
      }, (answer) => {
        const answerChunks = [];
        answer.on('data', (c) => answerChunks.push(c));
        answer.on('end', () => {
          seen.push({
            at: Date.now(), types: itemTypes(body.toString('utf8')), status: answer.statusCode,
            limits: answer.headers['x-sentry-rate-limits'], retryAfter: answer.headers['retry-after'], body: body.toString('utf8'),
          });
          outgoing.writeHead(answer.statusCode, answer.headers);
          outgoing.end(Buffer.concat(answerChunks));
        });
      });
      forward.on('error', (error) => { outgoing.writeHead(502); outgoing.end(String(error)); });
      forward.end(raw);
    });
  });
  await new Promise((ok) => proxy.listen(0, '127.0.0.1', ok));

  const keys = await server.api('/api/0/projects/default/default/keys/');
  const put = await fetch(`${server.url}/api/0/projects/default/default/keys/${keys[0].id}/`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ rateLimit: { window: WINDOW, count: 2 } }),
  });
  assert.equal(put.status, 200, await put.text());

  const dsn = new URL(server.dsn);
  dsn.host = `127.0.0.1:${proxy.address().port}`;
  Sentry.init({ dsn: dsn.toString(), defaultIntegrations: false, tracesSampleRate: 0, sendClientReports: true });
});

after(async () => {
  await Sentry.close(5_000);
  proxy?.close();
  if (server) {
    const code = await server.stop();
    assert.equal(code, 0, `server exit code\n${server.output()}`);
  }
});

/** The item types of an envelope (every other line after the header is an item header or payload). */
function itemTypes(envelope) {
  const types = [];
  const lines = envelope.split('\n');
  for (let i = 1; i < lines.length; i += 2) {
    try {
      const header = JSON.parse(lines[i]);
      if (header.type) types.push(header.type);
    } catch {
      // A payload line (the walk is only for the small envelopes of this test).
    }
  }
  return types;
}

const eventRequests = (since) => seen.filter((r) => r.at >= since && r.types.includes('event'));

test('after a 429 the SDK sends no error events until retry_after, then reports what it dropped', async () => {
  // Send events one by one until the key's quota answers 429 with a retry long enough to observe.
  let limited;
  for (let i = 0; i < 40 && !limited; i++) {
    Sentry.captureException(new Error(`quota probe ${i}`));
    await Sentry.flush(5_000);
    const last = seen.at(-1);
    if (last?.status === 429) {
      if (Number(last.retryAfter) >= 6) {
        limited = last;
      } else {
        // Too close to the window's end to observe the back-off: wait for the SDK's limit to pass.
        await new Promise((r) => setTimeout(r, (Number(last.retryAfter) + 1) * 1000));
      }
    }
  }

  assert.ok(limited, `no 429 seen: ${JSON.stringify(seen.map((r) => [r.status, r.types]))}`);
  assert.match(limited.limits, /^\d+:default;error;security:key:key_quota$/);
  const retryAfter = Number(limited.limits.split(':')[0]);
  assert.equal(String(retryAfter), limited.retryAfter);
  const deadline = limited.at + retryAfter * 1000;

  // During the back-off: captured events never reach the server.
  for (let i = 0; i < 3; i++) Sentry.captureException(new Error(`backed off ${i}`));
  await Sentry.flush(5_000);
  assert.ok(Date.now() < deadline, 'the back-off window passed before the check');
  assert.deepEqual(eventRequests(limited.at + 1), [], 'no error event reached the server during retry_after');

  // The client report (category internal, outside the key quota) says what was dropped, and why.
  const reports = seen.filter((r) => r.at > limited.at && r.types.includes('client_report'));
  assert.ok(reports.length > 0, `no client_report: ${JSON.stringify(seen.map((r) => [r.status, r.types]))}`);
  const discarded = reports.flatMap((r) => JSON.parse(r.body.split('\n')[2]).discarded_events ?? []);
  const backoff = discarded.filter((d) => d.reason === 'ratelimit_backoff' && d.category === 'error');
  assert.equal(backoff.reduce((sum, d) => sum + d.quantity, 0), 3, JSON.stringify(discarded));
  assert.ok(reports.every((r) => r.status === 200), 'client reports are not limited by the key quota');

  // After retry_after the SDK sends again.
  await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now()) + 1_000));
  Sentry.captureException(new Error('after the back-off'));
  await Sentry.flush(5_000);
  assert.equal(eventRequests(deadline).length, 1, 'the SDK resumed after retry_after');
});

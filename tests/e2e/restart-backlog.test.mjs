// Restart after a crash with a stream backlog (issue 8, "Restart in seconds"): the embedded server
// (SQLite, one process) acknowledges thousands of events whose processing is held back, is killed
// with SIGKILL while the load goes on, and is started again on the same data directory. The HTTP
// edge must answer the first ingest request with 200 within RESTART_LIMIT_MS of the process start,
// and the backlog must then be processed behind it: every acknowledged event counted exactly once
// (a request cut off by the kill may or may not have been stored: it counts at most once).
//
// The backlog is made deterministic with Grains:StartDelivery=false on the first run (every item
// waits in the durable stream log, acknowledged but not delivered); the restarted
// server runs with the defaults, so it delivers the whole backlog at once — thousands of issue grains
// activating while the edge starts, which is what once kept it from listening for minutes.
//
// Environment (optional): GRAINS_RESTART_EVENTS (default 6000), GRAINS_RESTART_FINGERPRINTS (1500),
// GRAINS_E2E_CONFIGURATION (Release).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, launchServer as launch, waitFor } from './server.mjs';

const EVENTS = Number(process.env.GRAINS_RESTART_EVENTS ?? 6000);
const FINGERPRINTS = Number(process.env.GRAINS_RESTART_FINGERPRINTS ?? 1500);
const MIN_BACKLOG = Math.min(3000, EVENTS / 2);
const RESTART_LIMIT_MS = 5000;
const WORKERS = 32;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** POST with a keep-alive agent; resolves { status } (0 when the connection failed). */
function post(agent, url, body, headers) {
  return new Promise((ok) => {
    const request = http.request(url, { method: 'POST', agent, headers, timeout: 30_000 }, (response) => {
      response.resume();
      response.on('end', () => ok({ status: response.statusCode }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => ok({ status: 0 }));
    request.end(body);
  });
}

function envelope(eventId, k) {
  const event = JSON.stringify({ event_id: eventId, platform: 'node', level: 'error', message: `restart backlog ${k}`, fingerprint: [`restart-${k}`] });
  return `${JSON.stringify({ event_id: eventId })}\n${JSON.stringify({ type: 'event', length: Buffer.byteLength(event) })}\n${event}\n`;
}

/** Sum of every issue's count, per title (the fingerprint is in the title). */
async function issueCounts(url, token) {
  const counts = new Map();
  let next = `${url}/api/0/projects/default/default/issues/?query=&limit=100`;
  while (next) {
    const response = await fetch(next, { headers: { Authorization: `Bearer ${token}` } });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${next} → ${response.status}: ${text.slice(0, 300)}`);
    for (const issue of JSON.parse(text)) counts.set(issue.title, (counts.get(issue.title) ?? 0) + Number(issue.count));
    const link = /<([^>]+)>; rel="next"; results="true"/.exec(response.headers.get('link') ?? '');
    next = link ? link[1] : null;
  }
  return counts;
}

/** When the port first accepts a TCP connection, in ms after `startedAt` (for the report). */
async function whenListening(url, startedAt) {
  const { hostname, port } = new URL(url);
  for (;;) {
    const accepted = await new Promise((ok) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => { socket.destroy(); ok(true); });
      socket.on('error', () => ok(false));
    });
    if (accepted) return performance.now() - startedAt;
    await sleep(10);
  }
}

const total = (counts) => [...counts.values()].reduce((a, b) => a + b, 0);

test('after kill -9 with thousands of acknowledged but unprocessed events the edge accepts ingest within 5 s, and the backlog is processed exactly once', { timeout: 420_000 }, async () => {
  const data = mkdtempSync(join(tmpdir(), 'grains-restart-'));
  const url = `http://127.0.0.1:${await freePort()}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
  let server = launch({ url, data, env: { Grains__StartDelivery: 'false' } });
  let passed = false;
  try {
    const dsnMatch = await waitFor('the DSN on the console', () => /DSN:\s+http:\/\/(\w+)@[^/]+\/(\d+)/.exec(server.output()), 60_000);
    const [, publicKey, projectId] = dsnMatch;
    const token = readFileSync(join(data, 'admin-token'), 'utf8').trim();
    const ingest = `${url}/api/${projectId}/envelope/`;
    const headers = { 'Content-Type': 'application/x-sentry-envelope', 'X-Sentry-Auth': `Sentry sentry_key=${publicKey}, sentry_version=7, sentry_client=grains-restart/1.0` };
    const acked = new Map(); // title → acknowledged events
    const unanswered = new Map(); // title → requests cut off by the kill (stored or not: the client cannot know)
    const bump = (map, k) => map.set(`restart backlog ${k}`, (map.get(`restart backlog ${k}`) ?? 0) + 1);
    const ack = (k) => bump(acked, k);

    // Load until EVENTS are acknowledged, then go on while the server is killed.
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const k = next++ % FINGERPRINTS;
        const { status } = await post(agent, ingest, envelope(randomBytes(16).toString('hex'), k), headers);
        if (status === 200) ack(k);
        else if (killed && status === 0) bump(unanswered, k);
        else if (!killed) throw new Error(`ingest answered ${status} before the kill\n${server.output()}`);
      }
    };
    const workers = Array.from({ length: WORKERS }, worker);
    await waitFor(`${EVENTS} acknowledged events`, () => total(acked) >= EVENTS, 300_000);
    const processedBefore = total(await issueCounts(url, token));
    const ackedAtKill = total(acked);
    killed = true;
    await server.kill9();
    await Promise.all(workers);
    agent.destroy();
    const backlog = total(acked) - processedBefore;
    assert.ok(backlog >= MIN_BACKLOG, `a backlog of at least ${MIN_BACKLOG} events at the kill: ${total(acked)} acknowledged, ${processedBefore} processed`);

    // Restart on the same data directory and port, with the default delivery.
    server = launch({ url, data });
    const listening = whenListening(url, server.startedAt);
    const probes = new http.Agent({ keepAlive: false });
    let firstAnswerMs = null;
    let firstOkMs = null;
    while (firstOkMs === null) {
      const { status } = await post(probes, ingest, envelope(randomBytes(16).toString('hex'), 'probe'), headers);
      const at = performance.now() - server.startedAt;
      if (status !== 0 && firstAnswerMs === null) firstAnswerMs = at;
      if (status === 200) {
        firstOkMs = at;
        ack('probe');
      } else {
        if (at > 120_000) throw new Error(`no 200 within 120 s of the restart\n${server.output()}`);
        await sleep(25);
      }
    }
    const listeningMs = await listening;
    console.log(`restart with a backlog of ${backlog} events (${total(acked)} acknowledged, ${ackedAtKill} before the kill, ${processedBefore} processed): listening ${(listeningMs / 1000).toFixed(2)} s, first answer ${(firstAnswerMs / 1000).toFixed(2)} s, first 200 on ingest ${(firstOkMs / 1000).toFixed(2)} s after the process start`);
    assert.ok(firstOkMs < RESTART_LIMIT_MS, `first 200 on ingest ${firstOkMs.toFixed(0)} ms after the process start (limit ${RESTART_LIMIT_MS} ms)`);

    // The backlog is processed behind the edge: every acknowledged event counted once, per issue. A
    // request cut off by the kill may have been stored without its answer, so it may count or not.
    const started = performance.now();
    let counts = new Map();
    const settle = { total: -1, since: 0 };
    await waitFor('every acknowledged event to be processed', async () => {
      counts = await issueCounts(url, token);
      // Settled: every acknowledged event counted, and the counts unchanged for a second.
      const now = performance.now();
      if (total(counts) !== settle.total) Object.assign(settle, { total: total(counts), since: now });
      return now - settle.since >= 1000 && [...acked].every(([title, n]) => (counts.get(title) ?? 0) >= n);
    }, 240_000).catch((error) => {
      throw new Error(`${error.message}: ${total(counts)} of ${total(acked)} processed\n${server.output()}`);
    });
    console.log(`backlog processed ${((performance.now() - started) / 1000).toFixed(1)} s after the first 200`);
    const titles = new Set([...acked.keys(), ...unanswered.keys(), ...counts.keys()]);
    const wrong = [...titles].filter((title) => {
      const counted = counts.get(title) ?? 0;
      return counted < (acked.get(title) ?? 0) || counted > (acked.get(title) ?? 0) + (unanswered.get(title) ?? 0);
    });
    assert.deepEqual(wrong.slice(0, 5).map((title) => `${title}: acknowledged ${acked.get(title) ?? 0}, cut off ${unanswered.get(title) ?? 0}, counted ${counts.get(title) ?? 0}`), []);
    console.log(`counted ${total(counts)}: ${total(acked)} acknowledged + ${total(counts) - total(acked)} of the ${total(unanswered)} requests cut off by the kill`);
    assert.equal(await server.stop(), 0, `exit code\n${server.output()}`);
    passed = true;
  } finally {
    agent.destroy();
    await server.kill9().catch(() => {});
    if (passed) rmSync(data, { recursive: true, force: true });
    else console.log(`kept ${data}`);
  }
});

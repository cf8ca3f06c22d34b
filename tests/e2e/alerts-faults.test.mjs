// Alert delivery under faults (issue 12 §4): a `kill -9` of the silo after firings were recorded and
// before they were delivered, then a restart: each firing reaches the receiver exactly once (counted by
// the delivery id header at the receiver); and a 2-silo cluster on PostgreSQL, events of one issue sent
// to both silos: its firing is delivered once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, launchServer, waitFor } from './server.mjs';
import { startHttpReceiver } from './receivers.mjs';
import { Postgres, createCluster, keepAliveAgent, onAbnormalExit, post, workDirectory } from './cluster.mjs';

const P = '/api/0/projects/default/default';
const HEADER = 'x-grains-delivery';
// Retries come quickly here, so the test does not wait on production back-off (seconds to minutes).
const FAST_RETRIES = {
  Grains__Alerts__Delivery__InitialBackoff: '00:00:00.200',
  Grains__Alerts__Delivery__MaxBackoff: '00:00:01',
  Grains__Alerts__Delivery__SweepPeriod: '00:00:01',
};

function api(base, token) {
  return async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/** The webhooks plugin pointed at `url` and enabled, and one rule: a new issue → webhook (the default email rule removed). */
async function configure(call, url) {
  for (const rule of await call('GET', `${P}/rules/`)) await call('DELETE', `${P}/rules/${rule.id}/`);
  await call('PUT', `${P}/plugins/webhooks/`, { urls: url });
  await call('POST', `${P}/plugins/webhooks/`);
  await call('POST', `${P}/rules/`, {
    name: 'new issue → webhook', actionMatch: 'all', filterMatch: 'all', frequency: 30,
    conditions: [{ id: 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition' }],
    filters: [],
    actions: [{ id: 'sentry.rules.actions.notify_event_service.NotifyEventServiceAction', service: 'webhooks' }],
  });
}

function storeBody(fingerprint) {
  return JSON.stringify({
    event_id: randomBytes(16).toString('hex'),
    platform: 'node',
    level: 'error',
    message: `alert fault ${fingerprint}`,
    fingerprint: [fingerprint],
  });
}

function authHeaders(publicKey) {
  return {
    'Content-Type': 'application/json',
    'X-Sentry-Auth': `Sentry sentry_key=${publicKey}, sentry_version=7, sentry_client=grains-alert-faults/1.0`,
  };
}

/** The 200-answered requests per delivery id. */
function deliveredOnce(receiver, answered) {
  const counts = new Map();
  receiver.requests.forEach((r, i) => {
    if (answered[i] === 200) counts.set(r.headers[HEADER], (counts.get(r.headers[HEADER]) ?? 0) + 1);
  });
  return counts;
}

test('kill -9 after firings were recorded and before they were delivered: after the restart each is delivered exactly once', { timeout: 300_000 }, async () => {
  const FIRINGS = 3;
  let up = false;
  const answered = [];
  const receiver = await startHttpReceiver(() => {
    const status = up ? 200 : 503;
    answered.push(status);
    return status;
  });
  const data = mkdtempSync(join(tmpdir(), 'grains-alert-kill-'));
  const url = `http://127.0.0.1:${await freePort()}`;
  let server = launchServer({ url, data, env: FAST_RETRIES });
  try {
    const [, publicKey, projectId] = await waitFor('the DSN on the console', () => /DSN:\s+http:\/\/(\w+)@[^/]+\/(\d+)/.exec(server.output()), 60_000);
    await waitFor('/health', async () => { try { return (await fetch(`${url}/health`)).ok; } catch { return false; } }, 60_000);
    const call = api(url, readFileSync(join(data, 'admin-token'), 'utf8').trim());
    await configure(call, `${receiver.url}/hook`);

    for (let i = 0; i < FIRINGS; i++) {
      const response = await fetch(`${url}/api/${projectId}/store/`, { method: 'POST', headers: authHeaders(publicKey), body: storeBody(`kill-${i}`) });
      assert.equal(response.status, 200, await response.text());
    }

    // Recorded, and tried at least once each (the receiver answered 503): not delivered.
    await waitFor(`${FIRINGS} recorded deliveries, each tried`, async () => {
      const pending = await call('GET', `${P}/alert-deliveries/?status=pending`);
      return pending.length === FIRINGS && pending.every((d) => d.attempts >= 1);
    }, 60_000);
    assert.equal(deliveredOnce(receiver, answered).size, 0);
    await server.kill9();

    up = true;
    server = launchServer({ url, data, env: FAST_RETRIES });
    await waitFor('every delivery answered 200 after the restart', () => deliveredOnce(receiver, answered).size === FIRINGS, 90_000);
    // The silo (and its deliverers) may start before the HTTP endpoint listens: ask the API once it answers.
    await waitFor('/health after the restart', async () => { try { return (await fetch(`${url}/health`)).ok; } catch { return false; } }, 60_000);
    await waitFor('the outbox to show every delivery delivered', async () => {
      const delivered = await call('GET', `${P}/alert-deliveries/?status=delivered`);
      return delivered.length === FIRINGS;
    }, 30_000);
    const counts = deliveredOnce(receiver, answered);
    assert.deepEqual([...counts.values()], Array(FIRINGS).fill(1), `deliveries per id: ${JSON.stringify([...counts])}`);
    const eventIds = new Set(receiver.requests.filter((_, i) => answered[i] === 200).map((r) => r.json.event.event_id));
    assert.equal(eventIds.size, FIRINGS);
  } catch (error) {
    error.message += `\n--- server output ---\n${server.output().slice(-6000)}`;
    throw error;
  } finally {
    await server.stop();
    await receiver.close();
    rmSync(data, { recursive: true, force: true });
  }
});

test('a 2-silo cluster: the firing of an issue whose events arrive at both silos is delivered once', { timeout: 300_000 }, async () => {
  const work = workDirectory('grains-alert-cluster-');
  const pg = await Postgres.start(work.log);
  const forget = onAbnormalExit(() => pg.stopSync?.());
  const receiver = await startHttpReceiver();
  const { silos, adminToken } = await createCluster({
    size: 2, connectionString: pg.connectionString, workDir: work.dir, logStream: work.logStream,
    environment: { ...FAST_RETRIES, Logging__LogLevel__Default: 'Warning' },
  });
  let passed = false;
  try {
    for (const silo of silos) silo.start();
    await Promise.all(silos.map((silo) => silo.waitHealthy(120_000)));
    const call = api(silos[0].url, adminToken);
    const [key] = await waitFor('the seeded DSN key', async () => {
      const keys = await call('GET', `${P}/keys/`);
      return keys.length > 0 ? keys : null;
    }, 30_000);
    await configure(call, `${receiver.url}/hook`);
    // The rule must be known to both silos before the first event (a rule change reaches other silos through the project's change notification).
    const other = api(silos[1].url, adminToken);
    await waitFor('the rule visible through silo2', async () => (await other('GET', `${P}/rules/`)).length === 1, 30_000);

    const agents = silos.map(() => keepAliveAgent());
    const EVENTS = 20;
    for (let i = 0; i < EVENTS; i++) {
      const silo = i % 2;
      const response = await post(`${silos[silo].url}/api/${key.projectId}/store/`, storeBody('cluster-one-issue'), authHeaders(key.public), { agent: agents[silo], timeoutMs: 30_000 });
      assert.equal(response.status, 200, response.text);
    }
    await waitFor(`the issue to count ${EVENTS} events`, async () => {
      const issues = await call('GET', `${P}/issues/?query=`);
      return issues.length === 1 && Number(issues[0].count) === EVENTS;
    }, 60_000);
    await waitFor('the webhook', () => receiver.requests.length >= 1, 60_000);
    await waitFor('the outbox to show the delivery delivered', async () => (await call('GET', `${P}/alert-deliveries/?status=delivered`)).length === 1, 30_000);
    // Both silos were up throughout; the count settled and the delivery is recorded as delivered: nothing else can come.
    assert.equal(receiver.requests.length, 1, JSON.stringify(receiver.requests.map((r) => r.headers[HEADER])));
    assert.equal((await call('GET', `${P}/alert-deliveries/`)).length, 1);
    for (const agent of agents) agent.destroy();
    passed = true;
  } catch (error) {
    error.message += `\n${silos.map((s) => s.tailText(40)).join('\n')}`;
    throw error;
  } finally {
    await Promise.all(silos.map(async (silo) => {
      if (!silo.running) return;
      silo.child.kill('SIGTERM');
      const timer = setTimeout(() => silo.child?.kill('SIGKILL'), 30_000);
      await silo.exited;
      clearTimeout(timer);
    }));
    await receiver.close();
    await pg.stop?.();
    forget();
    work.logStream.end();
    if (passed) work.remove();
  }
});

// Multi-process fault test (ARCHITECTURE.md §8): three silo processes of the Release build on one
// PostgreSQL, steady ingest (plain HTTP, /store/) spread round-robin over all of them with 20
// fingerprints, `kill -9` of one silo at 20 s and its restart (same ports and configuration, a new
// generation) at 40 s, 60 s in all. Once processing has settled (every stream checkpoint at its head,
// counts unchanged) it checks:
//   1. every acknowledged event id is in the event store, none twice;
//   2. no stored event id was never sent;
//   3. one issue per fingerprint, its count (issue table and REST API) = its stored events ≥ its acks;
//   4. the survivors answered every request with 200; the killed silo failed only while down (or in
//      flight at the kill);
//   5. the survivors owned every partition within 10 s of the kill (grains_partitions.changed_at);
//   6. every silo process ends as an active member and no partition is left to a non-active one.
// It prints one summary line (sent, acked, failures by silo, takeover, stream lag, latencies). The
// work directory (cluster.log with every silo's output prefixed [siloN], run.json with every
// request) is kept when the test fails.
//
// Environment (all optional):
//   GRAINS_TEST_POSTGRES         Npgsql connection string of a server to create a fresh database in
//                                (else a throwaway server is started with eng/pg-throwaway.sh)
//   GRAINS_E2E_CONFIGURATION     build configuration of the silos (default Release)
//   GRAINS_FAILOVER_SECONDS      load duration (default 60; the kill is at 1/3, the restart at 2/3)
//   GRAINS_FAILOVER_RATE         events per second over all silos (default 50)
//   GRAINS_FAILOVER_VICTIM       which silo is killed, 1-based (default 2)
//   GRAINS_FAILOVER_KEEP         keep the work directory (logs, data) even when the test passes
//   GRAINS_E2E_SERVER_DLL        run another build of Grains.Server.dll
// The silos inherit the environment, so server settings can be added (e.g. Grains__Cluster__SiloDeadAfter).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Postgres, createCluster, keepAliveAgent, onAbnormalExit, post, sleep, waitFor, workDirectory } from './cluster.mjs';

const SILOS = 3;
const LOAD_MS = Number(process.env.GRAINS_FAILOVER_SECONDS ?? 60) * 1000;
const KILL_AT_MS = LOAD_MS / 3;
const RESTART_AT_MS = (LOAD_MS * 2) / 3;
const RATE = Number(process.env.GRAINS_FAILOVER_RATE ?? 50);
const FINGERPRINTS = 20;
const VICTIM = Number(process.env.GRAINS_FAILOVER_VICTIM ?? 2) - 1;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_IN_FLIGHT = 500;
const HEALTH_DEADLINE_MS = 90_000;
const SETTLE_DEADLINE_MS = 60_000;
const TAKEOVER_LIMIT_MS = 10_000;

// The server's tables (src/Grains.Runtime.Postgres, src/Grains.Runtime.Postgres/Cluster, src/Grains.Monitoring.Postgres).
const T = {
  events: 'events',
  issues: 'issues',
  streamHeads: 'grains_stream_heads',
  stream: 'grains_stream',
  checkpoints: 'grains_checkpoints',
  partitions: 'grains_partitions',
  silos: 'grains_silos',
};

let work;
let pg;
let cluster;
let forgetPg = () => {};
let failed = false;

const seconds = (ms) => (ms / 1000).toFixed(2);

function note(line) {
  console.log(work ? work.log(line) : line);
}

before(async () => {
  work = workDirectory('grains-failover-');
  note(`work directory ${work.dir}, silo logs in ${work.logFile}`);
  try {
    pg = await Postgres.start(note);
    forgetPg = onAbnormalExit(() => pg.stopSync());
    cluster = await createCluster({ size: SILOS, connectionString: pg.connectionString, workDir: work.dir, logStream: work.logStream });
    // All silos start at once on an empty database, as a Deployment's pods do: every one seeds
    // (serialized on an advisory lock, after its host started, so a seeding call to a grain on a
    // silo that is still starting waits for it instead of deadlocking).
    for (const silo of cluster.silos) silo.start();
    await Promise.all(cluster.silos.map((silo) => silo.waitHealthy(HEALTH_DEADLINE_MS)));
  } catch (error) {
    failed = true;
    throw new Error(`${error.message}\n${tails()}`);
  }
  note(`all ${SILOS} silos healthy: ${cluster.silos.map((s) => `${s.name} pid ${s.pid} ${s.url} internal ${s.internalAddress}`).join('; ')}`);
}, { timeout: 240_000 });

after(async () => {
  if (cluster) await Promise.all(cluster.silos.map((silo) => silo.kill9().catch(() => {})));
  if (pg) {
    await pg.stop().catch((error) => note(`stopping PostgreSQL failed: ${error.message}`));
    forgetPg();
  }
  if (work) {
    await new Promise((r) => work.logStream.end(r));
    if (failed || process.env.GRAINS_FAILOVER_KEEP) console.log(`kept ${work.dir} (silo logs: ${work.logFile})`);
    else work.remove();
  }
}, { timeout: 120_000 });

function tails(lines = 40) {
  if (!cluster) return '';
  return cluster.silos.map((silo) => `--- last ${lines} lines of ${silo.name} (full log: ${work.logFile}) ---\n${silo.tailText(lines)}`).join('\n');
}

async function api(silo, path) {
  const response = await fetch(`${silo.url}${path}`, {
    headers: { Authorization: `Bearer ${cluster.adminToken}` },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${silo.url}${path} → ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Sentry's store payload: a unique event id, one of FINGERPRINTS fingerprints. */
function eventBody(id, k, silo) {
  return JSON.stringify({
    event_id: id,
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    logger: 'failover',
    message: `fault-${k} failover probe`,
    fingerprint: [`fault-${k}`],
    tags: { sent_to: silo.name },
  });
}

/**
 * Open-loop load: one event every 1000/RATE ms (round-robin over all silos, the killed one
 * included), each request with a timeout; the records say where, when and how each one ended.
 * Returns the keep-alive agents (to destroy once every request has ended).
 */
async function runLoad({ silos, projectId, publicKey, t0, records, pending }) {
  const interval = 1000 / RATE;
  const headers = {
    'Content-Type': 'application/json',
    'X-Sentry-Auth': `Sentry sentry_key=${publicKey}, sentry_version=7, sentry_client=grains-failover/1.0`,
  };
  const agents = new Map(silos.map((silo) => [silo, keepAliveAgent()]));
  let inFlight = 0;
  for (let i = 0; ; i++) {
    const due = i * interval;
    if (due >= LOAD_MS) break;
    const wait = due - (performance.now() - t0);
    if (wait > 0) await sleep(wait);
    while (inFlight >= MAX_IN_FLIGHT) await sleep(5);
    const silo = silos[i % silos.length];
    const k = i % FINGERPRINTS;
    const record = { id: randomBytes(16).toString('hex'), k, silo: silo.name, sentAt: performance.now() - t0 };
    records.push(record);
    inFlight++;
    pending.push((async () => {
      try {
        const response = await post(`${silo.url}/api/${projectId}/store/`, eventBody(record.id, k, silo), headers, { agent: agents.get(silo), timeoutMs: REQUEST_TIMEOUT_MS });
        record.status = response.status;
        if (response.status === 200) {
          let id;
          try { id = JSON.parse(response.text).id; } catch { /* not JSON */ }
          record.outcome = String(id).replaceAll('-', '').toLowerCase() === record.id ? 'acked' : 'bad-body';
          if (record.outcome !== 'acked') record.error = response.text.slice(0, 200);
        } else {
          record.outcome = 'http';
          record.error = `${response.status} ${response.text.slice(0, 200)}`;
        }
      } catch (error) {
        record.outcome = error.code === 'TIMEOUT' ? 'timeout' : 'connection';
        record.error = error.code === 'TIMEOUT' ? error.message : error.code ?? error.message;
      } finally {
        record.endAt = performance.now() - t0;
        inFlight--;
      }
    })());
  }
  return agents;
}

/**
 * One sample of the cluster's state: the stream backlog (items appended but not checkpointed), the
 * age of the oldest unprocessed item (s), the partition owners, and the members with heartbeat ages.
 */
async function sampleState() {
  const [row] = await pg.rows(`
    SELECT (SELECT coalesce(sum(greatest(h.next_offset - 1 - coalesce(c.checkpoint_offset, 0), 0)), 0)
              FROM ${T.streamHeads} h LEFT JOIN ${T.checkpoints} c USING (partition_id)) AS backlog,
           (SELECT coalesce(extract(epoch FROM now() - min(s.appended_at)), 0)
              FROM ${T.stream} s LEFT JOIN ${T.checkpoints} c USING (partition_id)
             WHERE s.stream_offset > coalesce(c.checkpoint_offset, 0)) AS oldest,
           (SELECT coalesce(json_agg(json_build_object('partition_id', partition_id, 'owner_silo_id', owner_silo_id)), '[]'::json)
              FROM ${T.partitions}) AS partitions,
           (SELECT coalesce(json_agg(json_build_object('silo_id', silo_id, 'address', address, 'status', status,
                                                       'age', extract(epoch FROM now() - heartbeat))), '[]'::json)
              FROM ${T.silos}) AS silos`);
  return { backlog: Number(row.backlog), oldest: Number(row.oldest), partitions: row.partitions, silos: row.silos };
}

test('kill -9 of one silo under load: every acknowledged event is stored exactly once and counts match', { timeout: 300_000 }, async (t) => {
  try {
    await scenario(t);
  } catch (error) {
    failed = true;
    error.message += `\n${tails()}`;
    throw error;
  }
});

async function scenario(t) {
  const { silos } = cluster;
  const victim = silos[VICTIM];
  const survivors = silos.filter((silo) => silo !== victim);

  // The seeded DSN key (any silo serves the API with the shared admin token).
  const [key] = await waitFor('the seeded DSN key', async () => {
    const keys = await api(silos[0], '/api/0/projects/default/default/keys/');
    return keys.length > 0 ? keys : null;
  }, 30_000, 250);
  const projectId = Number(key.projectId);
  const publicKey = key.public;
  note(`project ${projectId}, key ${publicKey}`);

  // The members before the load (every silo owns partitions, every partition has a live owner); the
  // victim's membership row (silo id) is the one with its internal address.
  let liveBefore;
  let ownership;
  let members = [];
  await waitFor('every silo to own partitions', async () => {
    members = await pg.rows(`SELECT silo_id, address, generation, status, (SELECT count(*) FROM ${T.partitions} p WHERE p.owner_silo_id = s.silo_id) AS owned FROM ${T.silos} s ORDER BY silo_id`);
    liveBefore = members.filter((s) => s.status === 'active');
    ownership = { at: 0, rows: await pg.rows(`SELECT partition_id, owner_silo_id FROM ${T.partitions}`) };
    const live = new Set(liveBefore.map((s) => Number(s.silo_id)));
    const owners = new Set(ownership.rows.map((row) => Number(row.owner_silo_id)));
    return live.size === SILOS && ownership.rows.length > 0 && [...owners].every((id) => live.has(id)) && [...live].every((id) => owners.has(id));
  }, 60_000, 500).catch((error) => {
    throw new Error(`${error.message}; members (all healthy on /health): ${members.map((s) => `silo id ${s.silo_id} ${s.address} ${s.status} owns ${s.owned}`).join('; ')}`);
  });
  const victimRow = liveBefore.filter((s) => s.address === victim.internalAddress).pop();
  assert.ok(victimRow, `${victim.name} (${victim.internalAddress}) is not an active member: ${JSON.stringify(liveBefore)}`);
  const victimSiloId = Number(victimRow.silo_id);
  const survivorIds = new Set(liveBefore.filter((s) => s.address !== victim.internalAddress).map((s) => Number(s.silo_id)));
  note(`active silos: ${liveBefore.map((s) => `${s.silo_id}@${s.address} owns ${ownership.rows.filter((row) => Number(row.owner_silo_id) === Number(s.silo_id)).length}`).join(', ')}; victim ${victim.name} is silo id ${victimSiloId}`);

  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  let tick = performance.now();
  const stallWatch = setInterval(() => {
    const gap = performance.now() - tick - 250;
    tick = performance.now();
    if (gap > 1000) work.log(`this test's event loop stalled for ${gap.toFixed(0)} ms`);
  }, 250);
  const records = [];
  const pending = [];
  const lag = { peakOldest: 0, peakOldestAt: 0, peakAfterKill: 0, peakBacklog: 0, samples: 0 };
  const t0 = performance.now();
  const wall0 = Date.now();
  const now = () => performance.now() - t0;
  const timeline = {};
  let sampling = true;
  const membership = { deadAt: new Map(), peakHeartbeatAge: { age: 0, silo: null, at: null } };

  // Once a second until processing has settled: the stream lag, and who owns which partition.
  const sampler = (async () => {
    while (sampling) {
      const started = now();
      try {
        const state = await sampleState();
        const at = now();
        lag.samples++;
        if (state.oldest > lag.peakOldest) { lag.peakOldest = state.oldest; lag.peakOldestAt = at; }
        if (timeline.kill !== undefined && timeline.restart === undefined) lag.peakAfterKill = Math.max(lag.peakAfterKill, state.oldest);
        lag.peakBacklog = Math.max(lag.peakBacklog, state.backlog);
        if (timeline.kill === undefined) ownership = { at, rows: state.partitions };
        // Membership: when a silo is first seen dead, and how old the live silos' heartbeats get.
        for (const row of state.silos) {
          const id = Number(row.silo_id);
          if (row.status === 'dead' && !membership.deadAt.has(id)) membership.deadAt.set(id, { at, address: row.address });
          const killed = id === victimSiloId && timeline.kill !== undefined;
          if (row.status === 'active' && !killed && Number(row.age) > membership.peakHeartbeatAge.age) membership.peakHeartbeatAge = { age: Number(row.age), silo: id, at };
        }
      } catch (error) {
        note(`sample failed: ${error.message}`);
      }
      if (now() - started > 3000) note(`a state sample took ${seconds(now() - started)} s (a loaded machine?)`);
      await sleep(1000);
    }
  })();

  // The fault: kill -9 at 1/3, takeover watch, restart at 2/3 (same ports and configuration).
  let victimOwned = 0;
  const takeover = { ms: null, observedMs: null, moved: 0, polls: 0, owners: [] };
  const faults = (async () => {
    await sleep(KILL_AT_MS - now());
    timeline.kill = now();
    const killWall = wall0 + timeline.kill;
    victimOwned = ownership.rows.filter((row) => Number(row.owner_silo_id) === victimSiloId).length;
    const total = ownership.rows.length;
    const pid = victim.pid;
    await victim.kill9();
    timeline.killed = now();
    note(`kill -9 ${victim.name} (pid ${pid}, silo id ${victimSiloId}, owned ${victimOwned} of ${total} partitions ${seconds(timeline.kill - ownership.at)} s before) at ${seconds(timeline.kill)} s`);

    // Takeover: no partition is owned by the dead silo any more and every partition has an owner. Its
    // moment is the last change of owner after the kill (changed_at, the same machine's clock); the
    // poll that saw it is an upper bound.
    await waitFor('the survivors to own every partition', async () => {
      takeover.polls++;
      const rows = await pg.rows(`SELECT partition_id, owner_silo_id, extract(epoch FROM changed_at) * 1000 AS changed_ms FROM ${T.partitions}`);
      if (rows.length < total || rows.some((row) => Number(row.owner_silo_id) === victimSiloId)) return false;
      takeover.observedMs = now() - timeline.kill;
      const moved = rows.filter((row) => Number(row.changed_ms) >= killWall);
      takeover.moved = moved.length;
      takeover.ms = moved.length ? Math.max(...moved.map((row) => Number(row.changed_ms))) - killWall : takeover.observedMs;
      takeover.owners = [...new Set(rows.map((row) => Number(row.owner_silo_id)))].sort();
      return true;
    }, 60_000, 100).catch((error) => note(error.message));
    note(takeover.ms === null
      ? 'takeover: NOT within 60 s of the kill'
      : `takeover: ${takeover.moved} partitions changed owner, the last ${seconds(takeover.ms)} s after the kill (seen by poll ${takeover.polls} at ${seconds(takeover.observedMs)} s); owners now: silo ids ${takeover.owners.join(', ')}`);

    await sleep(RESTART_AT_MS - now());
    timeline.restart = now();
    victim.start();
    note(`restarted ${victim.name} (pid ${victim.pid}) at ${seconds(timeline.restart)} s`);
    await victim.waitHealthy(HEALTH_DEADLINE_MS);
    timeline.back = now();
    note(`${victim.name} healthy again at ${seconds(timeline.back)} s (${seconds(timeline.back - timeline.restart)} s after its restart)`);
  })();

  const agents = await runLoad({ silos, projectId, publicKey, t0, records, pending });
  timeline.loadEnd = now();
  await Promise.all(pending);
  for (const agent of agents.values()) agent.destroy();
  timeline.drained = now();
  note(`load done at ${seconds(timeline.loadEnd)} s: ${records.length} sent; last answer at ${seconds(timeline.drained)} s`);
  let faultError = null;
  await faults.catch((error) => { faultError = error; });

  // Processing settles: every partition checkpointed up to its head, and the counts stop changing.
  let settleError = null;
  let previous = null;
  let last = null;
  await waitFor('processing to settle (checkpoints at the stream heads, counts unchanged)', async () => {
    const [row] = await pg.rows(`
      SELECT (SELECT coalesce(sum(greatest(h.next_offset - 1 - coalesce(c.checkpoint_offset, 0), 0)), 0)
                FROM ${T.streamHeads} h LEFT JOIN ${T.checkpoints} c USING (partition_id)) AS backlog,
             (SELECT count(*) FROM ${T.events}) AS events,
             (SELECT coalesce(sum(times_seen), 0) FROM ${T.issues}) AS seen`);
    last = row;
    const counts = `${row.events}/${row.seen}`;
    const settled = Number(row.backlog) === 0 && counts === previous;
    previous = counts;
    return settled;
  }, SETTLE_DEADLINE_MS, 500).catch((error) => { settleError = `${error.message}; last: ${JSON.stringify(last)}`; });
  timeline.settled = now();
  sampling = false;
  await sampler;

  loopDelay.disable();
  clearInterval(stallWatch);

  // ---- verification ----
  const problems = [];
  const sent = new Map(records.map((r) => [r.id, r]));
  const acked = records.filter((r) => r.outcome === 'acked');
  const stored = await pg.rows(`SELECT project_id, event_id, issue_id FROM ${T.events}`);
  const duplicates = await pg.rows(`SELECT event_id, count(*) AS n FROM ${T.events} GROUP BY event_id HAVING count(*) > 1`);
  const issues = await pg.rows(`SELECT id, times_seen, title FROM ${T.issues} WHERE project_id = ${projectId}`);
  if (faultError) problems.push(`the fault schedule failed: ${faultError.message}`);
  if (settleError) problems.push(`processing did not settle within ${SETTLE_DEADLINE_MS / 1000} s: ${settleError}`);

  // 1. every acknowledged event id is stored, and no id twice.
  const storedById = new Map();
  for (const row of stored) storedById.set(row.event_id, row);
  const missing = acked.filter((r) => !storedById.has(r.id));
  if (missing.length) {
    problems.push(`${missing.length} acknowledged events are not stored, e.g. ${missing.slice(0, 5).map((r) => `${r.id} (fault-${r.k}, ${r.silo}, sent ${seconds(r.sentAt)} s)`).join(', ')}`);
  }
  if (duplicates.length) problems.push(`${duplicates.length} event ids stored more than once, e.g. ${JSON.stringify(duplicates.slice(0, 5))}`);

  // 2. nothing stored that was never sent.
  const unknown = stored.filter((row) => !sent.has(row.event_id) || Number(row.project_id) !== projectId);
  if (unknown.length) problems.push(`${unknown.length} stored events were never sent, e.g. ${JSON.stringify(unknown.slice(0, 5))}`);

  // 3. one issue per fingerprint; its count = its stored events ≥ its acknowledged events.
  const storedPerIssue = new Map();
  for (const row of stored) storedPerIssue.set(String(row.issue_id), (storedPerIssue.get(String(row.issue_id)) ?? 0) + 1);
  const issueById = new Map(issues.map((issue) => [String(issue.id), issue]));
  const fingerprintOfIssue = new Map();
  for (let k = 0; k < FINGERPRINTS; k++) {
    const ackedK = acked.filter((r) => r.k === k).length;
    const storedK = stored.filter((row) => sent.get(row.event_id)?.k === k);
    const issueIds = [...new Set(storedK.map((row) => String(row.issue_id)))];
    if (issueIds.length !== 1) {
      if (ackedK > 0 || issueIds.length > 1) problems.push(`fault-${k}: stored events are in ${issueIds.length} issues (${issueIds.join(', ')}), expected 1`);
      continue;
    }
    const [issueId] = issueIds;
    if (fingerprintOfIssue.has(issueId)) problems.push(`issue ${issueId} holds both fault-${fingerprintOfIssue.get(issueId)} and fault-${k}`);
    fingerprintOfIssue.set(issueId, k);
    const issue = issueById.get(issueId);
    if (!issue) {
      problems.push(`fault-${k}: issue ${issueId} of its stored events is not in the issue table`);
      continue;
    }
    const storedCount = storedPerIssue.get(issueId);
    if (Number(issue.times_seen) !== storedCount) problems.push(`fault-${k} (issue ${issueId}): times seen ${issue.times_seen} ≠ ${storedCount} stored events`);
    if (storedCount < ackedK) problems.push(`fault-${k} (issue ${issueId}): ${storedCount} stored events < ${ackedK} acknowledged`);
  }
  for (const issue of issues) {
    if (!fingerprintOfIssue.has(String(issue.id))) problems.push(`issue ${issue.id} ('${issue.title}', times seen ${issue.times_seen}) belongs to no sent fingerprint`);
  }

  // 3b. the REST API (a surviving silo) reports the same counts.
  try {
    const listed = await api(survivors[0], '/api/0/projects/default/default/issues/?query=&limit=100');
    const listedById = new Map(listed.map((issue) => [String(issue.id), issue]));
    for (const [issueId, k] of fingerprintOfIssue) {
      const entry = listedById.get(issueId);
      const expected = String(storedPerIssue.get(issueId));
      if (!entry) problems.push(`fault-${k}: issue ${issueId} is missing from the API's issue list (${listed.length} listed)`);
      else if (entry.count !== expected) problems.push(`fault-${k}: the API's issue list says count ${entry.count}, ${expected} events are stored`);
    }
    const [someIssueId] = fingerprintOfIssue.keys();
    if (someIssueId) {
      const detail = await api(survivors[1] ?? survivors[0], `/api/0/issues/${someIssueId}/`);
      if (detail.count !== String(storedPerIssue.get(someIssueId))) problems.push(`GET /api/0/issues/${someIssueId}/ says count ${detail.count}, ${storedPerIssue.get(someIssueId)} events are stored`);
    }
  } catch (error) {
    problems.push(`the REST API check failed: ${error.message}`);
  }

  // 4. the survivors answered everything with 200; the victim failed only while down / in flight at the kill.
  const failedRecords = records.filter((r) => r.outcome !== 'acked');
  for (const silo of survivors) {
    const bad = failedRecords.filter((r) => r.silo === silo.name);
    if (bad.length) problems.push(`${silo.name} (survivor) failed ${bad.length} requests, e.g. ${bad.slice(0, 5).map((r) => `${r.outcome} ${r.error} (sent ${seconds(r.sentAt)} s, ended ${seconds(r.endAt)} s)`).join('; ')}`);
  }
  const down = (r) => (r.sentAt < timeline.kill && r.endAt >= timeline.kill) || (r.sentAt >= timeline.kill && r.sentAt < (timeline.back ?? Infinity));
  const victimBad = failedRecords.filter((r) => r.silo === victim.name && !down(r));
  if (victimBad.length) problems.push(`${victim.name} (killed) failed ${victimBad.length} requests while up, e.g. ${victimBad.slice(0, 5).map((r) => `${r.outcome} ${r.error} (sent ${seconds(r.sentAt)} s)`).join('; ')}`);
  const ackedWhileDead = acked.filter((r) => r.silo === victim.name && r.sentAt >= timeline.killed && r.sentAt < timeline.restart);
  if (ackedWhileDead.length) problems.push(`${ackedWhileDead.length} requests to ${victim.name} were acknowledged while its process was dead (is the killed pid the silo?)`);

  // 5. takeover within the limit; the victim really owned partitions.
  if (victimOwned === 0) problems.push(`${victim.name} owned no partition when it was killed: the kill tested nothing`);
  if (takeover.ms === null || takeover.ms > TAKEOVER_LIMIT_MS) problems.push(`takeover took ${takeover.ms === null ? 'more than 60' : seconds(takeover.ms)} s (limit ${TAKEOVER_LIMIT_MS / 1000} s)`);
  const strangers = takeover.owners.filter((id) => !survivorIds.has(id));
  if (takeover.ms !== null && strangers.length) problems.push(`after the takeover partitions are owned by silo ids ${strangers.join(', ')}, not only by the survivors (${[...survivorIds].join(', ')})`);
  if (timeline.back === undefined) problems.push(`${victim.name} did not become healthy again after its restart`);

  // The restarted victim is a new generation and owns partitions again.
  const silosAtEnd = await pg.rows(`SELECT s.silo_id, s.address, s.generation, s.status, (SELECT count(*) FROM ${T.partitions} p WHERE p.owner_silo_id = s.silo_id) AS owned
                                 FROM ${T.silos} s ORDER BY s.silo_id`);
  note(`silos at the end: ${silosAtEnd.map((s) => `${s.silo_id}@${s.address} gen ${s.generation} ${s.status} owns ${s.owned}`).join('; ')}`);

  // 6. membership: every silo process (the restarted victim included) ends as an active member, and
  // no partition is left to a member that is not active. A live silo declared dead (its heartbeat
  // went stale) must fence itself and rejoin; until it does it keeps its partition locks (its session
  // lives), so nobody can take those partitions over. Such declarations are reported as warnings.
  for (const silo of silos) {
    if (!silosAtEnd.some((row) => row.address === silo.internalAddress && row.status === 'active')) {
      problems.push(`${silo.name} (${silo.internalAddress}, running: ${silo.running}) has no active membership row at the end: ${JSON.stringify(silosAtEnd.filter((row) => row.address === silo.internalAddress))}`);
    }
  }
  const strandedOwners = silosAtEnd.filter((row) => Number(row.owned) > 0 && row.status !== 'active');
  if (strandedOwners.length) problems.push(`partitions are still owned by members that are not active: ${strandedOwners.map((row) => `silo id ${row.silo_id} (${row.status}) owns ${row.owned}`).join(', ')}`);
  for (const row of silosAtEnd) {
    const id = Number(row.silo_id);
    if (row.status === 'dead' && !membership.deadAt.has(id)) membership.deadAt.set(id, { at: null, address: row.address });
  }
  const falseDeaths = [];
  for (const [id, { at, address }] of membership.deadAt) {
    if (id !== victimSiloId) falseDeaths.push(`silo id ${id} (${address}) was declared dead${at === null ? '' : ` (seen at ${seconds(at)} s)`} though its process was not killed`);
    else if (at !== null && at < timeline.kill) falseDeaths.push(`the victim (silo id ${id}) was declared dead (seen at ${seconds(at)} s) before it was killed at ${seconds(timeline.kill)} s`);
  }
  for (const warning of falseDeaths) note(`WARNING: ${warning} (peak heartbeat age ${membership.peakHeartbeatAge.age.toFixed(1)} s)`);

  const failedBy = Object.fromEntries(silos.map((s) => [s.name, failedRecords.filter((r) => r.silo === s.name).length]));
  const outcomes = {};
  for (const r of failedRecords) {
    const kind = r.outcome === 'connection' ? r.error : r.outcome === 'http' ? `http ${r.status}` : r.outcome;
    outcomes[kind] = (outcomes[kind] ?? 0) + 1;
  }
  const latencies = acked.map((r) => r.endAt - r.sentAt).sort((a, b) => a - b);
  const p = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : 0);
  const summary = `cluster-failover: sent ${records.length}, acked ${acked.length}, failed ${failedRecords.length} ${JSON.stringify(failedBy)} ${JSON.stringify(outcomes)}, ` +
    `stored ${stored.length} in ${issues.length} issues, victim ${victim.name} owned ${victimOwned} partitions, takeover ${takeover.ms === null ? 'n/a' : `${seconds(takeover.ms)} s (observed by ${seconds(takeover.observedMs)} s)`}, ` +
    `victim healthy ${timeline.back === undefined ? 'never' : `${seconds(timeline.back - timeline.restart)} s after restart`}, ` +
    `max stream lag ${lag.peakOldest.toFixed(2)} s (at ${seconds(lag.peakOldestAt)} s; between the kill and the restart ${lag.peakAfterKill.toFixed(2)} s; peak backlog ${lag.peakBacklog} items, ${lag.samples} samples), ` +
    `settled ${seconds(timeline.settled - timeline.drained)} s after the last answer, ack latency p50 ${p(0.5).toFixed(0)} ms p99 ${p(0.99).toFixed(0)} ms max ${p(1).toFixed(0)} ms, ` +
    `peak heartbeat age ${membership.peakHeartbeatAge.age.toFixed(1)} s (silo id ${membership.peakHeartbeatAge.silo}), ${falseDeaths.length} live silos declared dead, test event-loop delay max ${(loopDelay.max / 1e6).toFixed(0)} ms, load ${loadavg().map((x) => x.toFixed(1)).join('/')}`;
  work.log(summary);
  t.diagnostic(summary);
  writeFileSync(join(work.dir, 'run.json'), JSON.stringify({ timeline, takeover, lag, membership: { ...membership, deadAt: [...membership.deadAt] }, victim: victim.name, victimSiloId, victimOwned, problems, records }, null, 1));

  assert.ok(problems.length === 0, `${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
}

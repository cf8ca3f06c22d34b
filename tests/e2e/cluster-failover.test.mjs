// Multi-process fault test (ARCHITECTURE.md §8) on Orleans: three silo processes of the Release
// build on one PostgreSQL (Orleans' ADO.NET membership, the ingest stream's durable log in the
// database, its 64 partitions = 64 Orleans queues balanced across the silos by Orleans' consistent
// ring), steady ingest (plain HTTP, /store/) spread round-robin over all of them with 20
// fingerprints, `kill -9` of one silo at 20 s and its restart (same ports and configuration, a new
// Orleans generation) at 40 s, 60 s in all. Once processing has settled (every log checkpoint at
// its head, every acknowledged event stored, counts unchanged) it checks:
//   1. every acknowledged event id is in the event store, none twice;
//   2. no stored event id was never sent;
//   3. one issue per fingerprint, its count (issue table and REST API) = its stored events ≥ its acks;
//   4. the survivors answered every request with 200; the killed silo failed only while down (or in
//      flight at the kill);
//   5. take-over: every queue the victim was reading at the kill is read by a survivor within 10 s
//      of the kill (the survivors' "reads after checkpoint" log lines, timestamped by the silos).
//      Also reported, not asserted: when the membership table first showed the victim Dead (status 6);
//   6. at the end every silo process is an Active member (the restarted victim as a new generation,
//      its killed generation Dead), and each of the 64 queues is read by exactly one live process,
//      the restarted victim included (from the receivers' start and stop log lines).
// Queue ownership comes from the logs because Orleans keeps it in memory only (no table). A receiver
// logs "reads after checkpoint" once its Initialize succeeded and "stopped at checkpoint" whenever it
// is shut down (also when its shutdown fails); a process killed with -9 logs no stop, so its queues
// are those it started and did not stop before the kill.
// It prints one summary line (sent, acked, failures by silo, take-over, dead declaration, stream
// lag, latencies). The work directory (cluster.log with every silo's output prefixed [siloN],
// run.json with every request and every queue start/stop) is kept when the test fails.
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
// The silos inherit the environment, so server settings can be added (e.g. Grains__Storage__Postgres__...).
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
const BALANCED_DEADLINE_MS = 60_000;
const TAKEOVER_LIMIT_MS = 10_000;
// The ingest stream's queue count (DurableLogStreamOptions.DefaultQueueCount; never changed on a live log).
const QUEUES = 64;
// The ingest stream provider's name (IngestStream.ProviderName), as the receivers log it.
const PROVIDER = 'ingest';
// Orleans' SiloStatus values in the membership table.
const ACTIVE = 3;
const DEAD = 6;

// The tables and columns the test reads, in one place: the server's (src/Grains.Monitoring.Postgres),
// the durable log's (src/Grains.Streaming.Postgres), and Orleans'
// membership table (src/Grains.Postgres/OrleansScripts/PostgreSQL-Clustering.sql, unquoted names).
const T = {
  events: 'events',
  issues: 'issues',
  logHeads: 'grains_log_heads',
  log: 'grains_log',
  logOffset: 'log_offset',
  checkpoints: 'grains_log_checkpoints',
  membership: 'orleansmembershiptable',
};

let work;
let pg;
let cluster;
let queues;
let evictions;
let forgetPg = () => {};
let failed = false;

const seconds = (ms) => (ms / 1000).toFixed(2);

function note(line) {
  console.log(work ? work.log(line) : line);
}

/**
 * The queue receivers' start and stop lines of every silo process (DurableLogQueueAdapterReceiver,
 * Debug "reads after checkpoint" / Information "stopped at checkpoint"), with the silos' own UTC
 * timestamps. A process is `${silo}#${generation}` (generation: the how-many-th start of that silo).
 */
class QueueLog {
  static LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) \w+: \S+ Durable log stream (\S+) partition (\d+) (?:(reads) after checkpoint (\d+)|(stopped) at checkpoint (\d+))/;

  constructor(silos) {
    this.entries = [];
    for (const silo of silos) {
      silo.onOutput((line, { generation, pid }) => {
        const match = QueueLog.LINE.exec(line);
        if (!match || match[2] !== PROVIDER) return;
        this.entries.push({
          process: `${silo.name}#${generation}`,
          silo: silo.name,
          pid,
          at: Date.parse(match[1]),
          partition: Number(match[3]),
          kind: match[4] ? 'start' : 'stop',
          checkpoint: Number(match[5] ?? match[7]),
        });
      });
    }
  }

  /** The partitions each process reads after replaying its lines up to `at` (ms since the epoch; all when omitted). */
  owned(at = Infinity) {
    const byProcess = new Map();
    for (const entry of this.entries) {
      if (entry.at > at) continue;
      if (!byProcess.has(entry.process)) byProcess.set(entry.process, new Set());
      const set = byProcess.get(entry.process);
      if (entry.kind === 'start') set.add(entry.partition);
      else set.delete(entry.partition);
    }
    return byProcess;
  }

  /**
   * Who reads each partition among the `live` processes: { readers: partition → [process],
   * counts: process → partitions read, unread: [partition], shared: [partition] }.
   */
  ownership(live, at = Infinity) {
    const owned = this.owned(at);
    const readers = new Map();
    for (let p = 0; p < QUEUES; p++) readers.set(p, []);
    const counts = {};
    for (const process of live) {
      const set = owned.get(process) ?? new Set();
      counts[process] = set.size;
      for (const p of set) readers.get(p)?.push(process);
    }
    const unread = [...readers].filter(([, r]) => r.length === 0).map(([p]) => p);
    const shared = [...readers].filter(([, r]) => r.length > 1).map(([p]) => p);
    return { readers, counts, unread, shared };
  }

  /** The first start of `partition` at or after `at` by a process other than `except`. */
  firstStartAfter(partition, at, except) {
    return this.entries.find((e) => e.kind === 'start' && e.partition === partition && e.at >= at && e.process !== except) ?? null;
  }
}

/**
 * Orleans' death declarations as the silos log them (MembershipTableManager, Information:
 * "Evicting 'S127.0.0.1:port:generation'"): when a silo decided to write a member Dead. Informative
 * only (the message is Orleans' own and may change); the membership table is the authority.
 */
class EvictionLog {
  static LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) \w+: \S+ Evicting 'S([\d.]+):(\d+):(\d+)'/;

  constructor(silos) {
    this.entries = [];
    for (const silo of silos) {
      silo.onOutput((line, { generation }) => {
        const match = EvictionLog.LINE.exec(line);
        if (match) this.entries.push({ by: `${silo.name}#${generation}`, at: Date.parse(match[1]), port: Number(match[3]), generation: Number(match[4]) });
      });
    }
  }

  /** The first eviction of the member (port, generation), or null. */
  first(port, generation) {
    return this.entries.find((e) => e.port === port && e.generation === generation) ?? null;
  }
}

const processOf = (silo) => `${silo.name}#${silo.generation}`;
const describeCounts = (counts) => Object.entries(counts).map(([process, n]) => `${process} ${n}`).join(', ');

before(async () => {
  work = workDirectory('grains-failover-');
  note(`work directory ${work.dir}, silo logs in ${work.logFile}`);
  try {
    pg = await Postgres.start(note);
    forgetPg = onAbnormalExit(() => pg.stopSync());
    cluster = await createCluster({
      size: SILOS,
      connectionString: pg.connectionString,
      workDir: work.dir,
      logStream: work.logStream,
      environment: {
        // The receivers' start lines are Debug: queue ownership and the take-over are read from them.
        'Logging__LogLevel__Grains.Streaming': 'Debug',
        // Orleans' membership decisions (suspicions, death declarations) in the log, for diagnosis.
        'Logging__LogLevel__Orleans.Runtime.MembershipService': 'Information',
      },
    });
    queues = new QueueLog(cluster.silos);
    evictions = new EvictionLog(cluster.silos);
    // All silos start at once on an empty database, as a Deployment's pods do: every one applies the
    // schema and seeds (serialized on advisory locks).
    for (const silo of cluster.silos) silo.start();
    await Promise.all(cluster.silos.map((silo) => silo.waitHealthy(HEALTH_DEADLINE_MS)));
  } catch (error) {
    failed = true;
    throw new Error(`${error.message}\n${tails()}`);
  }
  note(`all ${SILOS} silos healthy: ${cluster.silos.map((s) => `${s.name} pid ${s.pid} ${s.url} silo endpoint ${s.internalAddress}`).join('; ')}`);
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

/** The membership rows (Orleans' table), with the age of each row's last I-am-alive in seconds. */
async function membershipRows() {
  return pg.rows(`SELECT address, port, generation, siloname, status, extract(epoch FROM now() - iamalivetime) AS age
                    FROM ${T.membership} ORDER BY port, generation`);
}

/** The backlog of the durable log: items appended but not yet checkpointed, over all partitions. */
const BACKLOG = `SELECT coalesce(sum(greatest(h.next_offset - 1 - coalesce(c.checkpoint_offset, 0), 0)), 0)
                   FROM ${T.logHeads} h LEFT JOIN ${T.checkpoints} c USING (partition_id)`;

/** One sample of the cluster's state: the log backlog, the age (s) of its oldest unprocessed item, the members. */
async function sampleState() {
  const [row] = await pg.rows(`
    SELECT (${BACKLOG}) AS backlog,
           (SELECT coalesce(extract(epoch FROM now() - min(s.appended_at)), 0)
              FROM ${T.log} s LEFT JOIN ${T.checkpoints} c USING (partition_id)
             WHERE s.${T.logOffset} > coalesce(c.checkpoint_offset, 0)) AS oldest`);
  return { backlog: Number(row.backlog), oldest: Number(row.oldest), members: await membershipRows() };
}

test('kill -9 of one silo under load: every acknowledged event is stored exactly once, counts match, queues taken over in time', { timeout: 300_000 }, async (t) => {
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

  // Before the load: the three silos are Active members, and every queue is read by exactly one of
  // them, each of them reading some (delivery starts once a silo listens, then Orleans balances).
  let members = [];
  let balanced = null;
  await waitFor('three Active members and every queue read by exactly one silo, each silo reading some', async () => {
    members = await membershipRows();
    balanced = queues.ownership(silos.map(processOf));
    const active = members.filter((m) => m.status === ACTIVE);
    return silos.every((s) => active.filter((m) => m.port === s.internalPort).length === 1) && active.length === SILOS &&
      balanced.unread.length === 0 && balanced.shared.length === 0 && Object.values(balanced.counts).every((n) => n > 0);
  }, BALANCED_DEADLINE_MS, 250).catch((error) => {
    throw new Error(`${error.message}; members: ${JSON.stringify(members)}; queues read: ${balanced ? describeCounts(balanced.counts) : 'none'}, unread ${balanced?.unread.length}, shared ${JSON.stringify(balanced?.shared)}`);
  });
  const victimRow = members.find((m) => m.status === ACTIVE && m.port === victim.internalPort);
  const victimGeneration = Number(victimRow.generation);
  const victimProcess = processOf(victim);
  note(`active members: ${members.filter((m) => m.status === ACTIVE).map((m) => `${m.address}:${m.port} gen ${m.generation} (${m.siloname})`).join(', ')}; ` +
    `queues read: ${describeCounts(balanced.counts)}; victim ${victimProcess} is ${victimRow.address}:${victimRow.port} generation ${victimGeneration}`);

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
  // Live members whose I-am-alive got old, and members other than the victim seen Dead.
  const membership = { peakAliveAge: { age: 0, member: null, at: null }, falseDeaths: new Map() };
  const isVictimRow = (m) => m.port === victim.internalPort && Number(m.generation) === victimGeneration;

  // Once a second until processing has settled: the stream lag and the members.
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
        for (const m of state.members) {
          const id = `${m.address}:${m.port} gen ${m.generation}`;
          if (m.status === DEAD && !isVictimRow(m) && !membership.falseDeaths.has(id)) membership.falseDeaths.set(id, at);
          if (m.status === ACTIVE && !(isVictimRow(m) && timeline.kill !== undefined) && Number(m.age) > membership.peakAliveAge.age) {
            membership.peakAliveAge = { age: Number(m.age), member: id, at };
          }
        }
      } catch (error) {
        note(`sample failed: ${error.message}`);
      }
      if (now() - started > 3000) note(`a state sample took ${seconds(now() - started)} s (a loaded machine?)`);
      await sleep(1000);
    }
  })();

  // The fault: kill -9 at 1/3, take-over watch, restart at 2/3 (same ports and configuration).
  let victimQueues = [];
  const takeover = { ms: null, observedMs: null, byQueue: [], alreadyRead: [], takers: {} };
  const dead = { ms: null, polls: 0 };
  const faults = (async () => {
    await sleep(KILL_AT_MS - now());
    const pid = victim.pid;
    timeline.kill = now();
    await victim.kill9();
    timeline.killed = now();
    // The signal's moment on the wall clock the silos' log timestamps use (kill9 takes it right
    // before the signal; its own return can come seconds later on a loaded machine).
    const killWall = victim.killedAt;
    timeline.signal = killWall - wall0;
    // The victim's queues at the signal, from its lines timestamped before it. Its last lines can
    // still be in its pipes when its exit is seen, so the take-over watch recomputes them.
    const victimQueuesAtKill = () => [...(queues.owned(killWall).get(victimProcess) ?? [])].sort((a, b) => a - b);
    victimQueues = victimQueuesAtKill();
    note(`kill -9 ${victim.name} (pid ${pid}, ${victimProcess}, generation ${victimGeneration}): signal at ${seconds(timeline.signal)} s, gone at ${seconds(timeline.killed)} s; it was reading ${victimQueues.length} of ${QUEUES} queues`);

    // The membership table shows the victim Dead (polled; an upper bound by one poll).
    const deadWatch = waitFor('the membership table to show the victim Dead', async () => {
      dead.polls++;
      const [row] = await pg.rows(`SELECT status FROM ${T.membership} WHERE port = ${victim.internalPort} AND generation = ${victimGeneration}`);
      if (row?.status !== DEAD) return false;
      dead.ms = Date.now() - killWall;
      return true;
    }, 60_000, 100).catch((error) => note(error.message));

    // The take-over: each of the victim's queues started by another process after the signal (from
    // the silos' logs); a queue a survivor was already reading at the signal (both read it while
    // their views of the ring differed) counts as taken over at once.
    const queueWatch = waitFor('the survivors to read every queue of the victim', () => {
      victimQueues = victimQueuesAtKill();
      const atKill = queues.owned(killWall);
      const byQueue = [];
      for (const p of victimQueues) {
        const reader = survivors.map(processOf).find((process) => atKill.get(process)?.has(p));
        if (reader) {
          byQueue.push({ partition: p, process: reader, ms: 0, alreadyRead: true });
          continue;
        }
        const start = queues.firstStartAfter(p, killWall, victimProcess);
        if (!start) return false;
        byQueue.push({ partition: p, process: start.process, ms: start.at - killWall, checkpoint: start.checkpoint });
      }
      takeover.alreadyRead = byQueue.filter((q) => q.alreadyRead).map((q) => q.partition);
      takeover.observedMs = Date.now() - killWall;
      takeover.byQueue = byQueue;
      takeover.ms = byQueue.length ? Math.max(...byQueue.map((q) => q.ms)) : 0;
      for (const q of byQueue) takeover.takers[q.process] = (takeover.takers[q.process] ?? 0) + 1;
      return true;
    }, 60_000, 100).catch((error) => note(error.message));

    await Promise.all([deadWatch, queueWatch]);
    const eviction = evictions.first(victim.internalPort, victimGeneration);
    if (eviction) dead.evictedMs = eviction.at - killWall;
    note(`membership: the victim ${dead.ms === null ? 'NOT shown Dead within 60 s of the kill' : `shown Dead (status ${DEAD}) in the table ${seconds(dead.ms)} s after the kill (poll ${dead.polls}, an upper bound)`}; ` +
      `${eviction ? `evicted by ${eviction.by} ${seconds(dead.evictedMs)} s after the kill (its log)` : 'no eviction line in the logs'}`);
    if (takeover.ms === null) {
      note('take-over: NOT within 60 s of the kill');
    } else {
      const sorted = [...takeover.byQueue].sort((a, b) => a.ms - b.ms);
      note(`take-over: ${sorted.length} queues of the victim read by survivors, the first ${sorted.length ? seconds(sorted[0].ms) : '-'} s and the last ${seconds(takeover.ms)} s after the kill ` +
        `(by ${describeCounts(takeover.takers)}${takeover.alreadyRead.length ? `; already read by a survivor at the kill: ${takeover.alreadyRead.join(' ')}` : ''}; seen ${seconds(takeover.observedMs)} s after the kill); ` +
        `the victim's queues: ${victimQueues.join(' ')}`);
    }

    await sleep(RESTART_AT_MS - now());
    timeline.restart = now();
    victim.start();
    note(`restarted ${victim.name} as ${processOf(victim)} (pid ${victim.pid}) at ${seconds(timeline.restart)} s`);
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

  // Processing settles: every partition checkpointed up to its head (a checkpoint only passes items
  // whose grain call completed, so a stuck one means items never delivered), every acknowledged
  // event stored, the issue counts adding up to the stored events, and nothing changed for three
  // polls in a row.
  const ackedIds = records.filter((r) => r.outcome === 'acked').map((r) => r.id);
  let settleError = null;
  const history = [];
  let last = null;
  await waitFor('processing to settle (checkpoints at the log heads, every acknowledged event stored, counts add up and unchanged)', async () => {
    const [row] = await pg.rows(`
      SELECT (${BACKLOG}) AS backlog,
             (SELECT count(*) FROM ${T.events}) AS events,
             (SELECT coalesce(sum(times_seen), 0) FROM ${T.issues}) AS seen,
             (SELECT count(*) FROM ${T.events} WHERE event_id IN (${ackedIds.map((id) => `'${id}'`).join(',') || "''"})) AS acked_stored`);
    last = row;
    history.push(`${row.events}/${row.seen}`);
    const stable = history.length >= 3 && history.slice(-3).every((h) => h === history.at(-1));
    return stable && Number(row.backlog) === 0 && Number(row.acked_stored) >= ackedIds.length && Number(row.events) === Number(row.seen);
  }, SETTLE_DEADLINE_MS, 500).catch((error) => { settleError = `${error.message}; last: ${JSON.stringify(last)}`; });
  timeline.settled = now();
  const backlogAtSettle = Number(last?.backlog ?? NaN);
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

  // 5. take-over within the limit (asserted on the queues); the victim really read queues. Every
  // take-over is by a survivor: the restarted victim (a later process) comes too late to count.
  if (victimQueues.length === 0) problems.push(`${victimProcess} read no queue when it was killed: the kill tested nothing`);
  if (takeover.ms === null || takeover.ms > TAKEOVER_LIMIT_MS) {
    const late = takeover.byQueue.filter((q) => q.ms > TAKEOVER_LIMIT_MS).map((q) => `${q.partition} (${seconds(q.ms)} s by ${q.process})`);
    problems.push(`take-over of the victim's queues took ${takeover.ms === null ? 'more than 60' : seconds(takeover.ms)} s (limit ${TAKEOVER_LIMIT_MS / 1000} s)${late.length ? `: ${late.join(', ')}` : ''}`);
  }
  const survivorProcesses = new Set(survivors.map(processOf));
  const strangers = takeover.byQueue.filter((q) => !survivorProcesses.has(q.process));
  if (strangers.length) problems.push(`victim queues first read after the kill by processes that are not survivors: ${strangers.map((q) => `${q.partition} by ${q.process}`).join(', ')}`);
  if (timeline.back === undefined) problems.push(`${victim.name} did not become healthy again after its restart`);

  // 6. at the end: every silo process an Active member (the restarted victim a new generation, its
  // killed generation Dead, no other member Active), and every queue read by exactly one live
  // process, the restarted victim among the readers. Orleans rebalances after the restart, so this
  // is polled until it holds (or its deadline passes).
  const liveProcesses = silos.filter((s) => s.running).map(processOf);
  let end = { members: [], ownership: null, issues: ['not checked'] };
  await waitFor('every silo an Active member and every queue read by exactly one live process', async () => {
    const rows = await membershipRows();
    const ownership = queues.ownership(liveProcesses);
    const issues = [];
    for (const silo of silos) {
      const active = rows.filter((m) => m.port === silo.internalPort && m.status === ACTIVE);
      if (active.length !== 1) issues.push(`${processOf(silo)} (${silo.internalAddress}, running: ${silo.running}) has ${active.length} Active rows`);
      if (silo === victim && active.some((m) => Number(m.generation) === victimGeneration)) issues.push(`${processOf(victim)} is Active under the killed generation ${victimGeneration}`);
    }
    const killedRow = rows.find(isVictimRow);
    if (killedRow?.status !== DEAD) issues.push(`the killed generation ${victimGeneration} is ${killedRow ? `status ${killedRow.status}` : 'gone'}, not Dead`);
    const others = rows.filter((m) => m.status === ACTIVE && !silos.some((s) => s.internalPort === m.port));
    if (others.length) issues.push(`unknown Active members: ${JSON.stringify(others)}`);
    if (ownership.unread.length) issues.push(`${ownership.unread.length} queues read by no live process: ${ownership.unread.join(' ')}`);
    if (ownership.shared.length) issues.push(`${ownership.shared.length} queues read by more than one live process: ${ownership.shared.map((p) => `${p} (${ownership.readers.get(p).join(', ')})`).join('; ')}`);
    if (!(ownership.counts[processOf(victim)] > 0)) issues.push(`the restarted ${processOf(victim)} reads no queue`);
    end = { members: rows, ownership, issues };
    return issues.length === 0;
  }, BALANCED_DEADLINE_MS, 500).catch(() => {});
  for (const issue of end.issues) problems.push(`at the end: ${issue}`);
  const restartedRow = end.members.find((m) => m.port === victim.internalPort && m.status === ACTIVE);
  note(`members at the end: ${end.members.map((m) => `${m.address}:${m.port} gen ${m.generation} status ${m.status}`).join('; ')}; ` +
    `queues read: ${end.ownership ? describeCounts(end.ownership.counts) : 'n/a'}`);
  for (const [member, at] of membership.falseDeaths) problems.push(`${member} was declared Dead (seen at ${seconds(at)} s) though its process was not killed`);

  const failedBy = Object.fromEntries(silos.map((s) => [s.name, failedRecords.filter((r) => r.silo === s.name).length]));
  const outcomes = {};
  for (const r of failedRecords) {
    const kind = r.outcome === 'connection' ? r.error : r.outcome === 'http' ? `http ${r.status}` : r.outcome;
    outcomes[kind] = (outcomes[kind] ?? 0) + 1;
  }
  const latencies = acked.map((r) => r.endAt - r.sentAt).sort((a, b) => a - b);
  const p = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : 0);
  const summary = `cluster-failover: sent ${records.length}, acked ${acked.length}, failed ${failedRecords.length} ${JSON.stringify(failedBy)} ${JSON.stringify(outcomes)}, ` +
    `stored ${stored.length} in ${issues.length} issues, victim ${victimProcess} read ${victimQueues.length}/${QUEUES} queues, ` +
    `take-over of its queues ${takeover.ms === null ? 'n/a' : `${seconds(takeover.ms)} s after the kill (first ${seconds(Math.min(...takeover.byQueue.map((q) => q.ms), takeover.ms))} s)`}, ` +
    `victim shown Dead in the membership table ${dead.ms === null ? 'n/a' : `${seconds(dead.ms)} s after the kill`} (evicted ${dead.evictedMs === undefined ? 'n/a' : `${seconds(dead.evictedMs)} s`} by the logs), ` +
    `victim healthy ${timeline.back === undefined ? 'never' : `${seconds(timeline.back - timeline.restart)} s after restart`} as generation ${restartedRow?.generation ?? '?'}, ` +
    `max stream lag ${lag.peakOldest.toFixed(2)} s (at ${seconds(lag.peakOldestAt)} s; between the kill and the restart ${lag.peakAfterKill.toFixed(2)} s; peak backlog ${lag.peakBacklog} items, ${lag.samples} samples), ` +
    `settled ${seconds(timeline.settled - timeline.drained)} s after the last answer (log backlog then ${backlogAtSettle} items), ack latency p50 ${p(0.5).toFixed(0)} ms p99 ${p(0.99).toFixed(0)} ms max ${p(1).toFixed(0)} ms, ` +
    `peak I-am-alive age ${membership.peakAliveAge.age.toFixed(1)} s (${membership.peakAliveAge.member}), ${membership.falseDeaths.size} live silos declared Dead, ` +
    `queue starts/stops logged ${queues.entries.filter((e) => e.kind === 'start').length}/${queues.entries.filter((e) => e.kind === 'stop').length}, ` +
    `test event-loop delay max ${(loopDelay.max / 1e6).toFixed(0)} ms, load ${loadavg().map((x) => x.toFixed(1)).join('/')}`;
  work.log(summary);
  t.diagnostic(summary);
  writeFileSync(join(work.dir, 'run.json'), JSON.stringify({
    timeline, takeover, dead, lag, membership: { ...membership, falseDeaths: [...membership.falseDeaths] }, victim: victimProcess, victimGeneration,
    victimQueues, end: { members: end.members, issues: end.issues }, problems, queueLog: queues.entries, records,
  }, null, 1));

  assert.ok(problems.length === 0, `${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
}

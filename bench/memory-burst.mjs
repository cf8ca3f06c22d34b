// Memory under bursts of bodies that inflate to ~200 MiB (issue 8): starts the Release server,
// measures its RSS idle, sends bursts of (a) unauthenticated gzip bombs and (b) authenticated
// envelopes whose gzip body inflates to ~199 MiB (a valid attachment), 8 in parallel for a few
// rounds, and records the peak RSS (polled from /proc/<pid>/status) and the RSS 60 s after each
// burst. Writes bench/results/memory.md. Usage: node bench/memory-burst.mjs [--write] [--rounds N]
import { spawn, execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const write = args.includes('--write');
const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 0) || 3;
const parallel = 8;
const MiB = 1024 * 1024;
const settleMs = 60_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => ok(port)); });
  });
}

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)[1]);
  return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
}

const mb = (bytes) => (bytes / 1e6).toFixed(0);

async function startServer() {
  const dll = join(root, 'src', 'Grains.Server', 'bin', 'Release', 'net10.0', 'Grains.Server.dll');
  if (!existsSync(dll)) throw new Error(`${dll} is missing: dotnet build src/Grains.Server -c Release`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const data = mkdtempSync(join(tmpdir(), 'grains-memory-'));
  const child = spawn('dotnet', [dll, '--urls', url, '--Grains:DataDirectory', data], {
    cwd: data, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DOTNET_NOLOGO: '1', Logging__LogLevel__Default: 'Warning', 'Logging__LogLevel__Grains.Server.Ingest.LargeBufferReclaimer': 'Information' },
  });
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const dsn = /DSN:\s+(\S+)/.exec(output)?.[1];
    if (dsn) {
      try { if ((await fetch(`${url}/health`)).ok) return { child, url, dsn, data, output: () => output }; } catch { /* not yet */ }
    }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`server did not start:\n${output}`); }
    await sleep(200);
  }
}

async function burst(server, name, body, headers) {
  const pid = server.child.pid;
  let peak = memory(pid).rss;
  let polling = true;
  const poller = (async () => { while (polling) { peak = Math.max(peak, memory(pid).rss); await sleep(50); } })();
  const statuses = {};
  const latencies = [];
  const started = Date.now();
  for (let round = 0; round < rounds; round++) {
    await Promise.all(Array.from({ length: parallel }, async () => {
      const t0 = Date.now();
      try {
        const response = await fetch(`${server.url}/api/${server.projectId}/envelope/`, { method: 'POST', body, headers });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      } catch (error) {
        statuses[error.cause?.code ?? error.message] = (statuses[error.cause?.code ?? error.message] ?? 0) + 1;
      }
      latencies.push(Date.now() - t0);
    }));
  }
  const burstMs = Date.now() - started;
  polling = false;
  await poller;
  const after = [];
  for (const at of [10_000, 30_000, settleMs]) {
    await sleep(at - (after.at(-1)?.at ?? 0));
    after.push({ at, rss: memory(pid).rss });
  }
  latencies.sort((a, b) => a - b);
  return { name, statuses, peak, after, burstMs, p50: latencies[latencies.length >> 1], max: latencies.at(-1), wire: body.length };
}

const server = await startServer();
try {
  const dsn = new URL(server.dsn);
  server.projectId = dsn.pathname.replace(/\//g, '');
  const key = dsn.username;
  await sleep(10_000);
  const idleSamples = [];
  for (let i = 0; i < 5; i++) { idleSamples.push(memory(server.child.pid).rss); await sleep(1000); }
  const idle = idleSamples.sort((a, b) => a - b)[2];
  if (process.env.MEMORY_BURST_DETAIL) console.log(readFileSync(`/proc/${server.child.pid}/smaps_rollup`, 'utf8'));

  const zeros = Buffer.alloc(199 * MiB);
  const level = { level: constants.Z_BEST_COMPRESSION };
  const bomb = gzipSync(Buffer.alloc(200 * MiB, ' '), level);
  const header = Buffer.from(`{"event_id":"${'0123456789abcdef'.repeat(2)}"}\n{"type":"attachment","length":${zeros.length},"filename":"zeros.bin"}\n`);
  const envelope = gzipSync(Buffer.concat([header, zeros]), level);

  const unauthenticated = await burst(server, 'unauthenticated (no credentials, 200 MiB of spaces)', bomb, { 'Content-Encoding': 'gzip' });
  const idleBetween = memory(server.child.pid).rss;
  const authenticated = await burst(server, 'authenticated (X-Sentry-Auth, 199 MiB attachment)', envelope, {
    'Content-Encoding': 'gzip',
    'X-Sentry-Auth': `Sentry sentry_key=${key}, sentry_version=7, sentry_client=memory-bench/1.0`,
  });

  const machine = `${cpus().length} cores (${cpus()[0].model}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${execSync('uname -sr').toString().trim()}, .NET ${execSync('dotnet --version').toString().trim()}, Node ${process.version}`;
  const commit = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
  const rows = [unauthenticated, authenticated].map((b) =>
    `| ${b.name} | ${mb(b === unauthenticated ? idle : idleBetween)} | ${mb(b.peak)} | ${b.after.map((a) => mb(a.rss)).join(' / ')} | ${Object.entries(b.statuses).map(([s, n]) => `${n}× ${s}`).join(', ')} | ${b.p50} / ${b.max} | ${(b.wire / 1024).toFixed(0)} KiB |`);
  const report = [
    `Machine: ${machine}. Commit ${commit}, ${new Date().toISOString().slice(0, 16)}Z.`,
    `Each burst: ${rounds} rounds of ${parallel} parallel requests. RSS polled every 50 ms from /proc/<pid>/status (MB = 10^6 bytes).`,
    '',
    '| burst | RSS before (MB) | peak RSS (MB) | RSS 10 s / 30 s / 60 s after (MB) | answers | latency p50 / max (ms) | body on the wire |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  console.log(report);
  if (process.env.MEMORY_BURST_DETAIL) console.log(readFileSync(`/proc/${server.child.pid}/smaps_rollup`, 'utf8'));
  console.log(server.output().split('\n').filter((l) => /Returned memory|rror/.test(l)).join('\n'));
  if (write) {
    const path = join(root, 'bench', 'results', 'memory.md');
    const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const marker = '<!-- memory-burst.mjs writes below -->';
    const head = previous.includes(marker) ? previous.slice(0, previous.indexOf(marker)) : previous;
    writeFileSync(path, `${head}${marker}\n## Latest run\n\n${report}\n`);
  }
} finally {
  server.child.kill('SIGTERM');
  await sleep(2000);
  rmSync(server.data, { recursive: true, force: true });
}

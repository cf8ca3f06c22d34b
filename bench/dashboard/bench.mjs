// Dashboard bench (issue 13): time to first byte and time to interactive of the issue stream and an
// issue page with 100,000 issues in the project. Starts the Release server on a fresh data directory,
// sends one real event (the issue page measured), stops it, fills the project with synthetic issues
// (fill.py, straight into the query store's tables), starts it again, signs in with headless Chromium
// and loads each page several times in a new tab. TTFB: the navigation's responseStart (the prerendered
// HTML, the store query included). TTI: the first animation frame in which the circuit has rendered the
// page (data-testid=circuit data-interactive=true) and its first row (issue-row / issue-title) is there.
// Usage: node bench/dashboard/bench.mjs [--issues N] [--runs N] [--write]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const issueCount = option('--issues', 100_000);
const runs = option('--runs', 7);
const write = args.includes('--write');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => ok(port)); });
  });
}

async function startServer(data, port) {
  const dll = join(root, 'src', 'Grains.Server', 'bin', 'Release', 'net10.0', 'Grains.Server.dll');
  if (!existsSync(dll)) throw new Error(`${dll} is missing: dotnet build src/Grains.Server -c Release`);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn('dotnet', [dll, '--urls', url, '--Grains:DataDirectory', data], {
    cwd: data, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DOTNET_NOLOGO: '1', Logging__LogLevel__Default: 'Warning' },
  });
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  const exited = new Promise((r) => child.once('exit', r));
  const deadline = Date.now() + 180_000;
  for (;;) {
    try { if ((await fetch(`${url}/health`)).ok) return { child, url, exited, output: () => output }; } catch { /* not yet */ }
    if (Date.now() > deadline || child.exitCode !== null) { child.kill('SIGKILL'); throw new Error(`server did not start:\n${output}`); }
    await sleep(250);
  }
}

async function stopServer(server) {
  server.child.kill('SIGTERM');
  await Promise.race([server.exited, sleep(60_000)]);
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: sorted[sorted.length >> 1], min: sorted[0], max: sorted.at(-1) };
};

const data = mkdtempSync(join(tmpdir(), 'grains-dashboard-bench-'));
const port = await freePort();
let server = await startServer(data, port);
let issueId;
let projectId;
try {
  const token = readFileSync(join(data, 'admin-token'), 'utf8').trim();
  const api = async (path) => (await fetch(`${server.url}/api/0${path}`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const [key] = await api('/projects/default/default/keys/');
  projectId = key.projectId;
  const event = {
    message: 'bench', level: 'error', platform: 'node', environment: 'production', release: 'web@1.0.0',
    exception: { values: [{ type: 'TypeError', value: 'Cannot read properties of undefined (reading \'id\')', stacktrace: { frames: [
      { function: 'Module._compile', filename: 'node:internal/modules/cjs/loader', lineno: 1105, in_app: false },
      { function: 'loadUser', filename: '/app/src/users.js', lineno: 42, colno: 17, in_app: true, pre_context: ['function loadUser(req) {', '  const session = req.session;'], context_line: '  return db.find(session.user.id);', post_context: ['}'] },
    ] } }] },
    breadcrumbs: [{ timestamp: Date.now() / 1000, category: 'http', message: 'GET /users/7' }],
    tags: { browser: 'Chrome 120' }, user: { id: '7' },
  };
  const sent = await fetch(`${server.url}/api/${projectId}/store/`, {
    method: 'POST', body: JSON.stringify(event),
    headers: { 'Content-Type': 'application/json', 'X-Sentry-Auth': `Sentry sentry_key=${key.public}, sentry_version=7, sentry_client=dashboard-bench/1.0` },
  });
  if (!sent.ok) throw new Error(`event refused: ${sent.status} ${await sent.text()}`);
  for (const deadline = Date.now() + 60_000; !issueId; await sleep(250)) {
    const listed = await api('/projects/default/default/issues/?query=');
    issueId = listed[0]?.id;
    if (Date.now() > deadline) throw new Error('the event did not become an issue within 60 s');
  }
} finally {
  await stopServer(server);
}

console.log(execFileSync('python3', [join(here, 'fill.py'), join(data, 'grains.db'), String(projectId), String(issueCount)], { encoding: 'utf8' }).trim());
server = await startServer(data, port);
const results = [];
try {
  const [email, password] = readFileSync(join(data, 'owner-password'), 'utf8').trim().split('\n').map((l) => l.slice(l.indexOf(':') + 1).trim());
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const signIn = await context.newPage();
  await signIn.goto(`${server.url}/auth/login/`);
  await signIn.fill('[data-testid=signin-email]', email);
  await signIn.fill('[data-testid=signin-password]', password);
  await signIn.click('[data-testid=signin-submit]');
  await signIn.waitForURL((u) => !u.pathname.startsWith('/auth/'));
  await signIn.close();

  const issues = '/organizations/default/issues/';
  const targets = [
    { name: 'Issue stream (default: unresolved, last seen, 14 days)', path: issues, ready: '[data-testid=issue-row]' },
    { name: 'Issue stream sorted by events', path: `${issues}?sort=freq`, ready: '[data-testid=issue-row]' },
    { name: 'Issue stream, free-text search (`module12 level:error`)', path: `${issues}?query=${encodeURIComponent('module12 level:error')}`, ready: '[data-testid=issue-row]' },
    { name: 'Issue page (the real event\'s issue)', path: `${issues}${issueId}/`, ready: '[data-testid=issue-title]' },
  ];
  for (const target of targets) {
    const ttfb = [];
    const tti = [];
    for (let run = -2; run < runs; run++) { // two warm-up loads (JIT, caches) are not counted
      const page = await context.newPage();
      const response = await page.goto(server.url + target.path, { waitUntil: 'commit' });
      if (response.status() !== 200) throw new Error(`${target.path}: HTTP ${response.status()}`);
      const ready = await page.waitForFunction((selector) => {
        const circuit = document.querySelector('[data-testid=circuit]');
        return circuit?.dataset.interactive === 'true' && document.querySelector(selector) ? performance.now() : false;
      }, target.ready, { polling: 'raf', timeout: 60_000 });
      const interactive = await ready.jsonValue();
      const firstByte = await page.evaluate(() => performance.getEntriesByType('navigation')[0].responseStart);
      if (run >= 0) { ttfb.push(firstByte); tti.push(interactive); }
      await page.close();
    }
    results.push({ ...target, ttfb: stats(ttfb), tti: stats(tti) });
    console.log(`${target.name}: TTFB p50 ${results.at(-1).ttfb.p50.toFixed(0)} ms, TTI p50 ${results.at(-1).tti.p50.toFixed(0)} ms`);
  }
  await browser.close();
} finally {
  await stopServer(server);
  rmSync(data, { recursive: true, force: true });
}

const ms = (v) => `${v.toFixed(0)} ms`;
const table = results.map((r) => `| ${r.name} | ${ms(r.ttfb.p50)} | ${ms(r.ttfb.min)}–${ms(r.ttfb.max)} | ${ms(r.tti.p50)} | ${ms(r.tti.min)}–${ms(r.tti.max)} |`).join('\n');
const report = `# Dashboard: time to first byte and to interactive with ${issueCount.toLocaleString('en-US')} issues

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`bench/run-dashboard.sh\` (\`node bench/dashboard/bench.mjs --write\`).
Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; one embedded server (SQLite), Release build;
headless Chromium (Debian's, through playwright-core) on the same machine.

| Page | TTFB p50 | TTFB min–max | TTI p50 | TTI min–max |
|---|---|---|---|---|
${table}

${runs} loads per page (after two warm-up loads), each in a new tab of a signed-in browser, server warm.

## Method
- The project holds ${issueCount.toLocaleString('en-US')} synthetic issues (\`bench/dashboard/fill.py\` writes the query store's
  tables directly: last seen spread over 14 days, 90 % unresolved, up to three hourly buckets each) and one
  issue made by a real event through ingest, whose page is the issue page measured.
- **TTFB** is the navigation's \`responseStart\`: the server prerenders the page (sign-in check, organization,
  the page's store query and row stats) before the first byte.
- **TTI** is the first animation frame in which the Blazor circuit has rendered the page
  (\`data-testid=circuit\` \`data-interactive=true\`) and the page's first row is there (\`issue-row\`, or
  \`issue-title\` on the issue page): the WebSocket connected, the page's query ran again on the circuit and its
  first rows are drawn.
`;
console.log(report);
if (write) writeFileSync(join(root, 'bench', 'results', 'dashboard.md'), report);

// The real @sentry/browser SDK in a real (headless) Chromium against a real Grains server: the
// event reaches the server cross-origin (CORS), and the server derives the browser, OS and device
// contexts and tags from the User-Agent the SDK sends in request.headers, as Relay does.
// Needs a Chromium binary (CHROMIUM, or chromium / chromium-browser / google-chrome on PATH);
// ./test.sh installs Debian's chromium when it is missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const run = Date.now().toString(36);

function findChromium() {
  const candidates = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'].filter(Boolean);
  for (const name of candidates) {
    const probe = spawnSync(name, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return name;
  }
  return null;
}

const chromium = findChromium();
let server;
let page;

/** The entry file of an export condition tree, as a browser resolves it (browser, import, default). */
function entry(target) {
  if (typeof target === 'string') return target;
  for (const condition of ['browser', 'production', 'import', 'default']) {
    if (target && condition in target) {
      const found = entry(target[condition]);
      if (found) return found;
    }
  }
  return null;
}

/** An import map for the npm packages the SDK imports, so Chromium loads its ESM build unbundled. */
function importMap() {
  const imports = {};
  const packages = ['@sentry/browser', '@sentry/browser-utils', '@sentry/core', '@sentry/conventions', '@sentry/feedback', '@sentry/replay', '@sentry/replay-canvas', 'web-vitals'];
  for (const name of packages) {
    const manifest = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8'));
    for (const [subpath, target] of Object.entries(manifest.exports ?? { '.': manifest.module ?? manifest.main })) {
      const file = entry(target);
      if (subpath.includes('*') || subpath === './package.json' || !file || file.endsWith('.cjs')) continue;
      imports[name + subpath.slice(1)] = `/node_modules/${name}/${file.replace(/^\.\//, '')}`;
    }
  }
  return { imports };
}

/** Serves the test page and the SDK's files from node_modules, on its own origin. */
function startPageServer(dsn) {
  const html = `<!doctype html><html><head><title>pending</title>
<script type="importmap">${JSON.stringify(importMap())}</script>
<script type="module">
  import * as Sentry from '@sentry/browser';
  Sentry.init({ dsn: ${JSON.stringify(dsn)}, release: 'browser-e2e@${run}', environment: 'e2e' });
  function applyCoupon() { throw new TypeError('coupon is undefined ${run}'); }
  try { applyCoupon(); } catch (error) { Sentry.captureException(error); }
  const flushed = await Sentry.flush(10000);
  document.title = flushed ? 'sent' : 'not-flushed';
</script></head><body>e2e</body></html>`;
  const http = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://page').pathname);
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    const file = resolve(here, '.' + path);
    if (!path.startsWith('/node_modules/') || !file.startsWith(modules + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.endsWith('.json') ? 'application/json' : 'text/javascript' }).end(readFileSync(file));
  });
  return new Promise((ok) => http.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${http.address().port}/`, close: () => new Promise((r) => http.close(r)) })));
}

/** Loads the page in headless Chromium until the SDK has flushed (or the budget ends); returns the DOM. */
function loadInChromium(url) {
  return new Promise((ok, fail) => {
    const child = spawn(chromium, ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--virtual-time-budget=15000', '--timeout=30000', '--dump-dom', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', fail);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) ok(out); else fail(new Error(`chromium exited ${code}\n${err.slice(-2000)}`));
    });
  });
}

before(async () => {
  if (!chromium) return;
  server = await startServer();
  page = await startPageServer(server.dsn);
});

after(async () => {
  await page?.close();
  if (server) {
    const code = await server.stop();
    assert.equal(code, 0, `server exit code\n${server.output()}`);
  }
});

test('an error captured by @sentry/browser in Chromium has browser, os and device context and tags', { skip: chromium ? false : 'no Chromium binary (install Debian\'s chromium, or set CHROMIUM)' }, async () => {
  const dom = await loadInChromium(page.url);
  assert.match(dom, /<title>sent<\/title>/, `the SDK did not flush; DOM:\n${dom.slice(0, 500)}`);

  const issue = await server.waitFor('the browser issue', async () => {
    const issues = await server.api('/api/0/projects/default/default/issues/?query=&limit=100');
    return issues.find((i) => i.title === `TypeError: coupon is undefined ${run}`);
  }, 30_000);
  const event = await server.api(`/api/0/issues/${issue.id}/events/latest/`);
  const userAgent = event.entries.find((e) => e.type === 'request')?.data?.headers?.find(([name]) => name === 'User-Agent')?.[1];
  assert.match(userAgent ?? '', /Chrome\/\d+/, 'the SDK sends navigator.userAgent in request.headers');

  const expectedBrowser = /HeadlessChrome\//.test(userAgent) ? 'HeadlessChrome' : 'Chrome';
  const major = /Chrome\/(\d+)/.exec(userAgent)[1];
  assert.equal(event.contexts.browser.name, expectedBrowser);
  assert.match(event.contexts.browser.version, new RegExp(`^${major}\\.`));
  assert.equal(event.contexts.os.name, 'Linux');
  const tags = Object.fromEntries(event.tags.map((t) => [t.key, t.value]));
  assert.equal(tags['browser.name'], expectedBrowser);
  assert.equal(tags.browser, `${expectedBrowser} ${event.contexts.browser.version}`);
  assert.equal(tags['os.name'], 'Linux');

  const browsers = await server.api(`/api/0/issues/${issue.id}/tags/browser.name/values/`);
  assert.deepEqual(browsers.map((v) => v.value), [expectedBrowser]);
});

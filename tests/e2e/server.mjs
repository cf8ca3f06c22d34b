// Starts a Grains server (the Release build of src/Grains.Server) on a free loopback port with a
// fresh data directory, waits for /health, and returns its URL, DSN and admin token.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

export async function waitFor(what, condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `env` adds settings to the server's environment (e.g. `Grains__Alerts__Smtp__Port`). */
export async function startServer({ env = {} } = {}) {
  const configuration = process.env.GRAINS_E2E_CONFIGURATION ?? 'Release';
  const dll = join(root, 'src', 'Grains.Server', 'bin', configuration, 'net10.0', 'Grains.Server.dll');
  if (!existsSync(dll)) throw new Error(`${dll} is missing: build the solution (${configuration}) first`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const data = mkdtempSync(join(tmpdir(), 'grains-e2e-'));
  const child = spawn('dotnet', [dll, '--urls', url, '--Grains:DataDirectory', data], {
    cwd: data,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DOTNET_NOLOGO: '1', Logging__LogLevel__Default: 'Warning', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((r) => child.once('exit', r));

  try {
    await waitFor('the DSN on the console', () => /DSN:\s+(\S+)/.exec(output), 60_000);
    await waitFor('/health', async () => {
      try { return (await fetch(`${url}/health`)).ok; } catch { return false; }
    }, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n--- server output ---\n${output}`);
  }

  const dsn = /DSN:\s+(\S+)/.exec(output)[1];
  const token = readFileSync(join(data, 'admin-token'), 'utf8').trim();
  return {
    url, dsn, token, data, pid: child.pid,
    output: () => output,
    api: async (path) => {
      const response = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      const text = await response.text();
      if (!response.ok) throw new Error(`GET ${path} → ${response.status}: ${text}`);
      return JSON.parse(text);
    },
    /** Any API call: answers { status, json } (json null for an empty or non-JSON body). */
    call: async (method, path, body) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
      return { status: response.status, json, text };
    },
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    waitFor,
  };
}

/**
 * One server process on a given data directory and URL (restarts reuse both), its output kept. The
 * working directory is `cwd` (default: the data directory); `umask` (e.g. '000') runs it under that
 * process umask; `env` adds to the environment (no logging settings are added: the server's defaults).
 * GRAINS_E2E_SERVER_DLL runs another build of Grains.Server.dll.
 */
export function launchServer({ url, data, cwd = data, env = {}, umask = null }) {
  const configuration = process.env.GRAINS_E2E_CONFIGURATION ?? 'Release';
  const dll = process.env.GRAINS_E2E_SERVER_DLL ?? join(root, 'src', 'Grains.Server', 'bin', configuration, 'net10.0', 'Grains.Server.dll');
  if (!existsSync(dll)) throw new Error(`${dll} is missing: build the solution (${configuration}) first`);
  const args = [dll, '--urls', url, '--Grains:DataDirectory', data];
  const startedAt = performance.now();
  const child = umask === null
    ? spawn('dotnet', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOTNET_NOLOGO: '1', ...env } })
    : spawn('sh', ['-c', `umask ${umask}; exec dotnet "$@"`, 'sh', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOTNET_NOLOGO: '1', ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal)));
  return {
    startedAt,
    output: () => output,
    exited,
    kill9: async () => { child.kill('SIGKILL'); await exited; },
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

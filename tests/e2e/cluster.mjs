// Helpers of the multi-process fault tests: a PostgreSQL database (the one test.sh started, named by
// GRAINS_TEST_POSTGRES, or a throwaway server of our own), silo processes of the Release build
// configured through the environment (cluster mode), and SQL through psql.
//
// Every silo is `dotnet Grains.Server.dll` spawned directly (no shell), so its pid is the silo and
// `kill -9` kills the silo itself. Each silo's output goes, prefixed with `[siloN]`, to one log file
// of the cluster and to a ring buffer whose tail a failing test prints.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `condition` (sync or async) until it returns a truthy value or the deadline passes. */
export async function waitFor(what, condition, timeoutMs, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** `count` distinct free loopback ports (all probes held open together so none repeats). */
export async function freePorts(count) {
  const probes = [];
  try {
    for (let i = 0; i < count; i++) {
      const probe = createServer();
      await new Promise((ok, fail) => {
        probe.once('error', fail);
        probe.listen(0, '127.0.0.1', ok);
      });
      probes.push(probe);
    }
    return probes.map((probe) => probe.address().port);
  } finally {
    await Promise.all(probes.map((probe) => new Promise((r) => probe.close(r))));
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** Parses an Npgsql connection string (`Host=...;Port=...;Username=...;Database=...`). */
export function parseConnectionString(text) {
  const values = {};
  for (const part of text.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    values[part.slice(0, at).trim().toLowerCase().replace(/\s+/g, ' ')] = part.slice(at + 1).trim();
  }
  return {
    host: values.host ?? values.server ?? '127.0.0.1',
    port: values.port ?? '5432',
    user: values.username ?? values['user id'] ?? values.user ?? values.userid ?? 'postgres',
    password: values.password ?? values.pwd,
    database: values.database ?? values.db ?? 'postgres',
  };
}

function formatConnectionString({ host, port, user, password, database }) {
  return `Host=${host};Port=${port};Username=${user};${password ? `Password=${password};` : ''}Database=${database}`;
}

/**
 * A fresh database for one test: a new database in the server of GRAINS_TEST_POSTGRES when it is
 * set, else a throwaway server (eng/pg-throwaway.sh) of our own. `stop()` drops / stops what it made;
 * `stopSync()` does the same from an exit handler.
 */
export class Postgres {
  constructor(connection, cleanup) {
    this.connection = connection;
    this.connectionString = formatConnectionString(connection);
    this._cleanup = cleanup;
  }

  static async start(log = () => {}) {
    const shared = process.env.GRAINS_TEST_POSTGRES;
    if (shared) {
      const base = parseConnectionString(shared);
      const name = `grains_failover_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
      const admin = new Postgres(base, async () => {});
      await admin.exec(`CREATE DATABASE ${name}`);
      log(`created database ${name} in GRAINS_TEST_POSTGRES (${base.host}:${base.port})`);
      // Dropping is cleanup, not the test: DROP DATABASE waits for a checkpoint, which on a loaded machine
      // has taken longer than psql's 30 s, and a database left behind costs only disk on a throwaway server.
      const pg = new Postgres({ ...base, database: name }, async () => {
        await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, 120_000)
          .catch(error => log(`could not drop database ${name}: ${error.message.split('\n')[0]}`));
      });
      pg.stopSync = () => {
        try { admin.execSync(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* best effort */ }
      };
      return pg;
    }

    const script = join(root, 'eng', 'pg-throwaway.sh');
    // Its own directory under the temp root: the script hands it to the 'postgres' user when run as
    // root, who could not enter a directory inside our private (0700) work directory.
    const dir = mkdtempSync(join(tmpdir(), 'grains-e2e-pg-'));
    const output = await new Promise((ok, fail) => {
      execFile('bash', [script, 'start', dir], { timeout: 120_000 }, (error, stdout, stderr) => {
        if (error) fail(new Error(`${script} start failed: ${error.message}\n${stderr}`));
        else ok(stdout);
      });
    });
    const line = output.trim().split('\n').pop();
    log(`started a throwaway PostgreSQL: ${line}`);
    const stop = () => execFileSync('bash', [script, 'stop', dir], { timeout: 60_000, stdio: 'ignore' });
    const pg = new Postgres(parseConnectionString(line), async () => {
      await new Promise((r) => execFile('bash', [script, 'stop', dir], { timeout: 60_000 }, () => r()));
      rmSync(dir, { recursive: true, force: true });
    });
    pg.stopSync = () => {
      try { stop(); } catch { /* best effort */ }
      rmSync(dir, { recursive: true, force: true });
    };
    return pg;
  }

  _args(sql) {
    const { host, port, user, database } = this.connection;
    return ['-X', '-q', '-t', '-A', '-h', host, '-p', String(port), '-U', user, '-d', database, '-v', 'ON_ERROR_STOP=1', '-c', sql];
  }

  _env() {
    return { ...process.env, PGPASSWORD: this.connection.password ?? '', PGCONNECT_TIMEOUT: '10' };
  }

  /** Runs SQL, resolves with psql's unaligned output. */
  exec(sql, timeoutMs = 30_000) {
    return new Promise((ok, fail) => {
      execFile('psql', this._args(sql), { env: this._env(), timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) fail(new Error(`psql: ${stderr.trim() || error.message}\n  SQL: ${sql.replace(/\s+/g, ' ').slice(0, 300)}`));
        else ok(stdout);
      });
    });
  }

  execSync(sql) {
    return execFileSync('psql', this._args(sql), { env: this._env(), timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  }

  /**
   * The rows of a SELECT as objects (aggregated to JSON by the server), on one long-lived psql
   * session: no process start and connection per query, which on a loaded machine take seconds.
   */
  async rows(select, timeoutMs = 30_000) {
    this._session ??= new PsqlSession(this._args(null).slice(0, -2), this._env());
    const out = (await this._session.query(`SELECT coalesce(json_agg(t), '[]'::json) FROM (${select}) t`, timeoutMs)).trim();
    return JSON.parse(out || '[]');
  }

  /** Whether a table exists (the server creates its schema at start). */
  async hasTable(name) {
    const [row] = await this.rows(`SELECT to_regclass('${name}') IS NOT NULL AS present`);
    return row.present;
  }

  async stop() {
    this._session?.close();
    this._session = null;
    const cleanup = this._cleanup;
    this._cleanup = null;
    if (cleanup) await cleanup();
  }
}

/**
 * One psql process reading statements from its stdin; each statement is followed by an \echo of a
 * marker, so its output is everything before the marker. Statements run one at a time, in order.
 * A statement that fails prints nothing to stdout: the error is what psql wrote to stderr meanwhile.
 */
class PsqlSession {
  constructor(args, env) {
    this._args = args;
    this._env = env;
    this._chain = Promise.resolve();
    this._count = 0;
    this._child = null;
  }

  _start() {
    const child = spawn('psql', this._args, { env: this._env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    const state = { child, stdout: '', stderr: '', waiter: null, exited: false };
    child.stdout.on('data', (chunk) => { state.stdout += chunk; state.waiter?.(); });
    child.stderr.on('data', (chunk) => { state.stderr += chunk; });
    child.stdin.on('error', () => {});
    child.once('exit', (code) => { state.exited = code ?? 'signal'; state.waiter?.(); });
    child.once('error', (error) => { state.exited = error.message; state.waiter?.(); });
    this._child = state;
    return state;
  }

  query(sql, timeoutMs) {
    const run = this._chain.then(() => this._run(sql, timeoutMs));
    this._chain = run.catch(() => {});
    return run;
  }

  _run(sql, timeoutMs) {
    const state = this._child && !this._child.exited ? this._child : this._start();
    const marker = `__grains_e2e_${++this._count}__`;
    state.stdout = '';
    state.stderr = '';
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => finish(new Error(`psql: no answer within ${timeoutMs} ms`)), timeoutMs);
      const finish = (error, value) => {
        clearTimeout(timer);
        state.waiter = null;
        if (error) {
          // Its output can no longer be told apart from the next statement's: start a new session.
          if (!state.exited) state.child.kill('SIGKILL');
          this._child = null;
          fail(new Error(`${error.message}\n  SQL: ${sql.replace(/\s+/g, ' ').slice(0, 300)}`));
        } else {
          ok(value);
        }
      };
      state.waiter = () => {
        const at = state.stdout.indexOf(`${marker}\n`);
        if (at >= 0) {
          const out = state.stdout.slice(0, at);
          if (out.trim() === '' && state.stderr.trim() !== '') finish(new Error(`psql: ${state.stderr.trim()}`));
          else finish(null, out);
        } else if (state.exited) {
          finish(new Error(`psql exited (${state.exited}): ${state.stderr.trim()}`));
        }
      };
      state.child.stdin.write(`${sql};\n\\echo ${marker}\n`);
    });
  }

  close() {
    if (this._child && !this._child.exited) this._child.child.stdin.end();
    this._child = null;
  }
}

// ---------------------------------------------------------------------------------------------
// Silos

const liveChildren = new Set();
let cleanupInstalled = false;
const syncCleanups = new Set();

/** Last resort: never leave silos (or our own PostgreSQL) behind, even when the runner kills us. */
function installCleanup() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const killAll = () => {
    for (const child of liveChildren) {
      try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    liveChildren.clear();
    for (const cleanup of syncCleanups) cleanup();
    syncCleanups.clear();
  };
  process.on('exit', killAll);
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
    process.once(signal, () => { killAll(); process.exit(128 + number); });
  }
}

/** Registers a synchronous cleanup for abnormal exits (e.g. stopping our own PostgreSQL). */
export function onAbnormalExit(cleanup) {
  installCleanup();
  syncCleanups.add(cleanup);
  return () => syncCleanups.delete(cleanup);
}

/** One silo: its settings (kept across restarts: same ports, data directory, configuration) and its current process. */
export class Silo {
  constructor({ name, dll, publicPort, internalPort, dataDirectory, environment, logStream, tailLines = 300 }) {
    Object.assign(this, { name, dll, publicPort, internalPort, dataDirectory, environment, logStream, tailLines });
    this.url = `http://127.0.0.1:${publicPort}`;
    this.internalAddress = `127.0.0.1:${internalPort}`;
    this.tail = [];
    this.child = null;
    this.generation = 0;
    this._outputListeners = [];
  }

  /**
   * Calls `listener(line, { generation, pid })` for every line the silo's processes print (stdout
   * and stderr, in arrival order), with the process generation of this Silo (1 for the first start).
   */
  onOutput(listener) {
    this._outputListeners.push(listener);
  }

  log(line) {
    const text = `[${this.name}] ${line}`;
    this.tail.push(text);
    if (this.tail.length > this.tailLines) this.tail.splice(0, this.tail.length - this.tailLines);
    if (!this.logStream.writableEnded) this.logStream.write(`${text}\n`);
  }

  get pid() { return this.child?.pid; }

  get running() { return this.child !== null && this.child.exitCode === null && this.child.signalCode === null; }

  start() {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    installCleanup();
    this.generation++;
    const env = { ...process.env, ...this.environment };
    // No inherited URL setting may override Grains__Url.
    for (const name of ['ASPNETCORE_URLS', 'DOTNET_URLS', 'URLS', 'ASPNETCORE_HTTP_PORTS', 'ASPNETCORE_HTTPS_PORTS', 'DOTNET_HTTP_PORTS', 'DOTNET_HTTPS_PORTS']) {
      delete env[name];
    }
    const child = spawn('dotnet', [this.dll], { cwd: this.dataDirectory, stdio: ['ignore', 'pipe', 'pipe'], env });
    this.child = child;
    this.startedAt = performance.now();
    liveChildren.add(child);
    this.exited = new Promise((r) => child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      this.log(`--- process ${child.pid} exited (${signal ?? `code ${code}`}) ---`);
      r({ code, signal });
    }));
    child.once('error', (error) => this.log(`--- spawn failed: ${error.message} ---`));
    const origin = { generation: this.generation, pid: child.pid };
    const output = (line) => {
      this.log(line);
      for (const listener of this._outputListeners) listener(line, origin);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop();
        for (const line of lines) output(line.replace(/\r$/, ''));
      });
      stream.on('end', () => { if (pending) output(pending); pending = ''; });
    }
    this.log(`--- started generation ${this.generation}: pid ${child.pid}, public ${this.url}, internal ${this.internalAddress} ---`);
    return child.pid;
  }

  /** SIGKILL of the silo process itself; resolves when it is gone. */
  async kill9() {
    const child = this.child;
    if (!child || !this.running) return;
    // The pid must be the silo (dotnet running the dll), not a wrapper whose death would leave the silo alive.
    try {
      const cmdline = await readFile(`/proc/${child.pid}/cmdline`, 'utf8');
      if (!cmdline.includes('Grains.Server.dll')) throw new Error(`pid ${child.pid} is not the silo: ${cmdline}`);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    this.log(`--- kill -9 ${child.pid} ---`);
    // When the signal went (ms since the epoch): on a loaded machine the exit is seen seconds later.
    this.killedAt = Date.now();
    child.kill('SIGKILL');
    await this.exited;
  }

  /** Polls /health until 200; fails early (with the tail of its output) when the process exits. */
  async waitHealthy(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    for (;;) {
      if (!this.running) throw new Error(`${this.name} (pid ${this.pid}) exited before it became healthy; its output is in the log ([${this.name}])`);
      try {
        const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(3_000) });
        const body = await response.text();
        if (response.ok) return performance.now();
        last = `${response.status} ${body.slice(0, 200)}`;
      } catch (error) {
        last = error.cause?.code ?? error.name ?? error.message;
      }
      if (Date.now() > deadline) {
        throw new Error(`${this.name} (${this.url}) did not become healthy in ${timeoutMs} ms; /health last answered: ${last}`);
      }
      await sleep(250);
    }
  }

  tailText(lines = 60) {
    return this.tail.slice(-lines).join('\n');
  }
}

/** A request's failure: `code` is the socket error (ECONNREFUSED, ECONNRESET, ...) or TIMEOUT. */
export class PostError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * POSTs a body with node:http on a keep-alive agent (far less CPU per request than fetch, which
 * matters on a loaded machine), resolving with { status, text }. The timeout counts from the send;
 * when it fires it lets pending I/O run first (setImmediate), so an answer that arrived while this
 * process was starved of CPU is not mistaken for a timeout.
 */
export function post(url, body, headers, { agent, timeoutMs }) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value);
    };
    const request = httpRequest(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => finish(null, { status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', (error) => finish(new PostError(error.code ?? 'ERESPONSE', error.message)));
    });
    request.on('error', (error) => finish(new PostError(error.code ?? 'EREQUEST', error.message)));
    const timer = setTimeout(() => setImmediate(() => {
      if (settled) return;
      finish(new PostError('TIMEOUT', `no answer in ${timeoutMs} ms`));
      request.destroy();
    }), timeoutMs);
    request.end(body);
  });
}

/** A keep-alive agent for one silo's public URL. */
export const keepAliveAgent = () => new HttpAgent({ keepAlive: true, maxSockets: 512 });

/** The Release (or GRAINS_E2E_CONFIGURATION) build of the server; GRAINS_E2E_SERVER_DLL names another build. */
export function serverDll() {
  if (process.env.GRAINS_E2E_SERVER_DLL) return process.env.GRAINS_E2E_SERVER_DLL;
  const configuration = process.env.GRAINS_E2E_CONFIGURATION ?? 'Release';
  const dll = join(root, 'src', 'Grains.Server', 'bin', configuration, 'net10.0', 'Grains.Server.dll');
  if (!existsSync(dll)) throw new Error(`${dll} is missing: build the solution (${configuration}) first`);
  return dll;
}

/**
 * Configures (does not start) `size` silos on one PostgreSQL database: distinct free public and
 * silo ports, a data directory each under `workDir`, the same admin token, and `environment` on top
 * of the defaults (e.g. log levels). Log lines start with a UTC ISO-8601 timestamp (Date.parse
 * reads it), so a test can time what the silos log against its own clock.
 * Every silo may seed the default organization, project, DSN key and the admin token (idempotent).
 */
export async function createCluster({ size, connectionString, workDir, logStream, environment: extra = {} }) {
  const dll = serverDll();
  const ports = await freePorts(size * 2);
  const adminToken = `grains-e2e-${randomBytes(16).toString('hex')}`;
  const silos = [];
  for (let i = 0; i < size; i++) {
    const name = `silo${i + 1}`;
    const dataDirectory = join(workDir, name);
    mkdirSync(dataDirectory, { recursive: true });
    const publicPort = ports[i * 2];
    const internalPort = ports[i * 2 + 1];
    const environment = {
      DOTNET_NOLOGO: '1',
      Grains__Url: `http://127.0.0.1:${publicPort}`,
      Grains__DataDirectory: dataDirectory,
      Grains__Storage__Provider: 'postgres',
      ConnectionStrings__grains: connectionString,
      Orleans__Endpoints__SiloPort: String(internalPort),
      Orleans__Endpoints__GatewayPort: '0',
      Orleans__Endpoints__AdvertisedIPAddress: '127.0.0.1',
      Grains__AdminToken: adminToken,
      // Every silo seeds (idempotent, serialized in the database), so any of them may start first or alone.
      Grains__Seed: 'true',
      // One line per log message with a timestamp, so the silos' logs interleave readably.
      Logging__Console__FormatterName: 'simple',
      Logging__Console__FormatterOptions__SingleLine: 'true',
      Logging__Console__FormatterOptions__TimestampFormat: "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ",
      Logging__Console__FormatterOptions__UseUtcTimestamp: 'true',
      Logging__LogLevel__Default: 'Information',
      'Logging__LogLevel__Microsoft.AspNetCore': 'Warning',
      'Logging__LogLevel__System.Net.Http': 'Warning',
      Logging__LogLevel__Npgsql: 'Warning',
      ...extra,
    };
    silos.push(new Silo({ name, dll, publicPort, internalPort, dataDirectory, environment, logStream }));
  }
  return { silos, adminToken };
}

/** A temporary directory for one test run, and a log file in it. */
export function workDirectory(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const logFile = join(dir, 'cluster.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  return {
    dir,
    logFile,
    logStream,
    log: (line) => {
      const text = `[test] ${new Date().toISOString().slice(11, 23)} ${line}`;
      if (!logStream.writableEnded) logStream.write(`${text}\n`);
      return text;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

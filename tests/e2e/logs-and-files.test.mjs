// Logs and files of the embedded server run as a user runs it (issue 8, "Logs and files"): the Release
// dll started from another working directory with no logging settings, under umask 000 and 022.
//   - the data directory it creates is 700 and every file in it (SQLite database, -wal, -shm,
//     admin-token) 600;
//   - request logs stay off by default (no "Request starting" line), and no output line carries the
//     DSN key a client put in a query string;
//   - the admin token is printed by the start that created it and never again: a restart says where it
//     is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, launchServer, waitFor } from './server.mjs';

const mode = (path) => (statSync(path).mode & 0o777).toString(8);

async function started(server) {
  return waitFor('the DSN on the console', () => /DSN:\s+http:\/\/(\w+)@[^/]+\/(\d+)/.exec(server.output()), 60_000)
    .catch((error) => { throw new Error(`${error.message}\n${server.output()}`); });
}

for (const umask of ['000', '022']) {
  test(`under umask ${umask} the data directory is 700 and its files 600; request logs are off and keys stay out of the output; the token is printed once`, { timeout: 180_000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'grains-files-'));
    const data = join(work, 'state', 'data'); // does not exist: the server creates it
    const url = `http://127.0.0.1:${await freePort()}`;
    let server = launchServer({ url, data, cwd: work, umask });
    try {
      const [, publicKey, projectId] = await started(server);
      // Ingest with the key in the query string, as some SDKs do; a token in the query of an API call.
      const event = JSON.stringify({ message: 'file modes probe', level: 'error' });
      const response = await fetch(`${url}/api/${projectId}/store/?sentry_key=${publicKey}&sentry_version=7`, { method: 'POST', body: event, headers: { 'Content-Type': 'application/json' } });
      assert.equal(response.status, 200, await response.text());
      const token = readFileSync(join(data, 'admin-token'), 'utf8').trim();
      assert.equal((await fetch(`${url}/api/0/organizations/?token=${token}`)).status, 401);
      await waitFor('the event to be processed', async () => {
        const issues = await (await fetch(`${url}/api/0/projects/default/default/issues/?query=`, { headers: { Authorization: `Bearer ${token}` } })).json();
        return issues.some((issue) => issue.title.includes('file modes probe'));
      }, 30_000);

      const files = readdirSync(data).sort();
      for (const name of ['admin-token', 'grains.db', 'grains.db-shm', 'grains.db-wal']) assert.ok(files.includes(name), `${name} in ${files.join(', ')}`);
      assert.equal(mode(data), '700', `mode of ${data}`);
      assert.deepEqual(files.map((name) => `${name} ${mode(join(data, name))}`), files.map((name) => `${name} 600`));

      // The first start printed the token once; no request log, no key outside the DSN line.
      const first = server.output();
      assert.equal(first.split('\n').filter((line) => line.includes(token)).length, 1, first);
      assert.doesNotMatch(first, /Request (starting|finished)/);
      assert.deepEqual(first.split('\n').filter((line) => line.includes(publicKey) && !/^\s+DSN:/.test(line)), []);
      assert.equal(await server.stop(), 0, first);

      // A later start says where the token is kept and does not print it.
      server = launchServer({ url, data, cwd: work, umask });
      await started(server);
      await waitFor('the admin token line', () => /Admin token: .*/.exec(server.output()), 10_000);
      const second = server.output();
      assert.match(second, new RegExp(`Admin token: kept in ${data.replaceAll('/', '\\/')}/admin-token`));
      assert.ok(!second.includes(token), second);
      assert.equal(mode(data), '700');
      for (const name of readdirSync(data)) assert.equal(mode(join(data, name)), '600', name);
      assert.equal(await server.stop(), 0, second);
    } finally {
      await server.kill9().catch(() => {});
      rmSync(work, { recursive: true, force: true });
    }
  });
}

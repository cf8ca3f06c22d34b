// The real @sentry/node SDK against a real Grains server: what a developer does with a DSN.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Sentry from '@sentry/node';
import { startServer } from './server.mjs';

let server;
const run = Date.now().toString(36);

before(async () => {
  server = await startServer();
  Sentry.init({ dsn: server.dsn, release: `e2e@${run}`, environment: 'e2e', defaultIntegrations: false, integrations: [Sentry.linkedErrorsIntegration()], tracesSampleRate: 0 });
});

after(async () => {
  await Sentry.close(5_000);
  if (server) {
    const code = await server.stop();
    assert.equal(code, 0, `server exit code\n${server.output()}`);
  }
});

/** All issues of the default project whose title contains `needle` (any status). */
async function issuesMatching(needle, expectedCount) {
  return server.waitFor(`${expectedCount} issue(s) titled '${needle}'`, async () => {
    const issues = await server.api('/api/0/projects/default/default/issues/?query=&limit=100');
    const found = issues.filter((issue) => issue.title.includes(needle));
    return found.length === expectedCount ? found : null;
  }, 30_000);
}

async function waitForCount(issueId, count) {
  return server.waitFor(`issue ${issueId} count ${count}`, async () => {
    const issue = await server.api(`/api/0/issues/${issueId}/`);
    return issue.count === String(count) ? issue : null;
  }, 30_000);
}

function throwSame(tag) {
  throw new Error(`same failure ${tag}`);
}

function firstPlace(tag) {
  throw new RangeError(`placed failure ${tag}`);
}

function secondPlace(tag) {
  throw new RangeError(`placed failure ${tag}`);
}

test('captureException with a cause chain, tags, user, contexts and breadcrumbs is visible through the API', async () => {
  Sentry.setTag('feature', 'checkout');
  Sentry.setUser({ id: 'user-42', email: 'ada@example.com' });
  Sentry.setContext('cart', { items: 3, total: 42.5 });
  Sentry.addBreadcrumb({ category: 'ui.click', message: 'pay button', level: 'info' });
  const cause = new TypeError(`card declined ${run}`);
  const error = new Error(`checkout failed ${run}`, { cause });
  const eventId = Sentry.captureException(error);
  await Sentry.flush(5_000);

  const [issue] = await issuesMatching(`checkout failed ${run}`, 1);
  assert.equal(issue.level, 'error');
  assert.equal(issue.count, '1');
  assert.equal(issue.userCount, 1);
  assert.match(issue.shortId, /^DEFAULT-[0-9A-Z]+$/);

  const event = await server.api(`/api/0/issues/${issue.id}/events/latest/`);
  assert.equal(event.eventID, eventId);
  const exception = event.entries.find((entry) => entry.type === 'exception');
  const types = exception.data.values.map((value) => value.type);
  assert.deepEqual([...types].sort(), ['Error', 'TypeError']);
  assert.ok(event.tags.some((tag) => tag.key === 'feature' && tag.value === 'checkout'), JSON.stringify(event.tags));
  assert.ok(event.tags.some((tag) => tag.key === 'environment' && tag.value === 'e2e'));
  assert.equal(event.user.id, 'user-42');
  assert.equal(event.contexts.cart.items, 3);
  const breadcrumbs = event.entries.find((entry) => entry.type === 'breadcrumbs');
  assert.ok(breadcrumbs.data.values.some((crumb) => crumb.message === 'pay button'));

  const tags = await server.api(`/api/0/issues/${issue.id}/tags/`);
  const feature = tags.find((tag) => tag.key === 'feature');
  assert.equal(feature.topValues[0].value, 'checkout');
  Sentry.setUser(null);
});

test('the same error thrown twice from the same code is one issue with count 2', async () => {
  for (let i = 0; i < 2; i++) {
    try { throwSame(run); } catch (error) { Sentry.captureException(error); }
  }
  await Sentry.flush(5_000);
  const [issue] = await issuesMatching(`same failure ${run}`, 1);
  await waitForCount(issue.id, 2);
});

test('the same error type thrown from two different functions is two issues', async () => {
  try { firstPlace(run); } catch (error) { Sentry.captureException(error); }
  try { secondPlace(run); } catch (error) { Sentry.captureException(error); }
  await Sentry.flush(5_000);
  const issues = await issuesMatching(`placed failure ${run}`, 2);
  assert.notEqual(issues[0].id, issues[1].id);
});

test('a message with a varying number in it is one issue', async () => {
  for (const order of [1234, 5678, 91011]) {
    Sentry.captureMessage(`Order ${order} could not be shipped`);
  }
  await Sentry.flush(5_000);
  const [issue] = await issuesMatching('could not be shipped', 1);
  await waitForCount(issue.id, 3);
  assert.equal(issue.level, 'info');
});

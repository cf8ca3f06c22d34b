// Issue alerts end to end (issue 12 §4) with the real @sentry/node SDK: a new error produces exactly
// one webhook POST (the legacy webhooks plugin's payload) and one email at a real SMTP server; the
// same error again within the rule's throttle produces none; resolved "in next release", an event
// from the old release stays resolved and one from a newer release regresses the issue and fires the
// regression rule once.
//
// "Produces none" is decided without waiting on a clock: a firing is recorded in the same turn that
// applies its event, so once the issue's count includes the event, the deliveries it caused are
// already in the outbox (GET …/alert-deliveries/) and nothing more can come from it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Sentry from '@sentry/node';
import { startServer, waitFor } from './server.mjs';
import { startHttpReceiver, startSmtpReceiver } from './receivers.mjs';

const ORG = 'default';
const PROJECT = 'default';
const P = `/api/0/projects/${ORG}/${PROJECT}`;
const DELIVERY_HEADER = 'x-grains-delivery';

let server;
let hook;
let smtp;
let release = 'shop@1.0.0';

before(async () => {
  hook = await startHttpReceiver();
  smtp = await startSmtpReceiver();
  server = await startServer({
    env: {
      Grains__Alerts__Smtp__Host: smtp.host,
      Grains__Alerts__Smtp__Port: String(smtp.port),
      Grains__Alerts__Smtp__Security: 'none',
      Grains__Alerts__Smtp__From: 'grains@example.test',
    },
  });

  // The webhooks plugin: configure, then enable (Sentry needs both before a rule may use it).
  let r = await server.call('PUT', `${P}/plugins/webhooks/`, { urls: `${hook.url}/hook` });
  assert.equal(r.status, 200, r.text);
  r = await server.call('POST', `${P}/plugins/webhooks/`);
  assert.equal(r.status, 201, r.text);
  r = await server.call('PUT', `${P}/`, { options: { 'mail:recipients': 'oncall@example.test' } });
  assert.equal(r.status, 200, r.text);

  // New issues and regressions go to the webhook, each through a rule of its own: the throttle is per
  // (rule, issue), so one rule for both would hold back the regression within its 30 minutes, as in
  // Sentry. The project's default rule already emails new issues.
  for (const [name, condition] of [
    ['webhook on new issue', 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition'],
    ['webhook on regression', 'sentry.rules.conditions.regression_event.RegressionEventCondition'],
  ]) {
    r = await server.call('POST', `${P}/rules/`, {
      name,
      actionMatch: 'all',
      filterMatch: 'all',
      frequency: 30,
      conditions: [{ id: condition }],
      filters: [],
      actions: [{ id: 'sentry.rules.actions.notify_event_service.NotifyEventServiceAction', service: 'webhooks' }],
    });
    assert.equal(r.status, 200, r.text);
  }

  Sentry.init({ dsn: server.dsn, defaultIntegrations: false, tracesSampleRate: 0, release });
  // The release of each event is the current value of `release` (set after the client's default).
  Sentry.getCurrentScope().addEventProcessor((event) => ({ ...event, release }));
});

after(async () => {
  await Sentry.close(5_000);
  if (server) {
    const code = await server.stop();
    assert.equal(code, 0, `server exit code\n${server.output()}`);
  }
  await hook?.close();
  await smtp?.close();
});

function boom() {
  // One call site, so every event of this test groups into one issue.
  Sentry.captureException(new Error('checkout failed: card declined'));
}

async function issue() {
  const list = await server.api(`${P}/issues/?query=`);
  return list.length === 1 ? list[0] : null;
}

async function sendAndApply(expectedCount) {
  boom();
  await Sentry.flush(5_000);
  return waitFor(`the issue to count ${expectedCount} events`, async () => {
    const i = await issue();
    return i && Number(i.count) === expectedCount ? i : null;
  }, 30_000);
}

const deliveries = async () => (await server.api(`${P}/alert-deliveries/`));

test('a new error alerts once by webhook and once by email; the throttle and release-aware resolution hold', async () => {
  // 1. New issue: one webhook POST with the plugin's payload, one email.
  const first = await sendAndApply(1);
  const posted = await waitFor('the webhook POST', () => hook.requests.length >= 1, 30_000);
  assert.ok(posted);
  const mail = await waitFor('the email', () => smtp.messages.length >= 1, 30_000);
  assert.ok(mail);

  const post = hook.requests[0];
  assert.equal(post.method, 'POST');
  assert.match(post.headers['user-agent'], /^sentry-webhooks\//);
  assert.match(post.headers[DELIVERY_HEADER] ?? '', /^[0-9a-f-]{16,}$/);
  const body = post.json;
  assert.equal(body.id, String(first.id));
  assert.equal(body.project, PROJECT);
  assert.equal(body.project_slug, PROJECT);
  assert.equal(typeof body.project_name, 'string');
  assert.equal(body.level, 'error');
  assert.equal(body.culprit, first.culprit);
  assert.match(body.url, new RegExp(`/organizations/${ORG}/issues/${first.id}/\\?referrer=webhooks_plugin$`));
  assert.deepEqual(body.triggering_rules, ['webhook on new issue']);
  assert.match(body.event.event_id, /^[0-9a-f]{32}$/);
  assert.equal(body.event.id, body.event.event_id);
  assert.ok(Array.isArray(body.event.tags) && body.event.tags.every((t) => Array.isArray(t) && t.length === 2));
  assert.ok(body.event.tags.some(([k, v]) => k === 'release' && v === 'shop@1.0.0'));
  assert.equal(body.event.exception.values[0].value, 'checkout failed: card declined');

  const email = smtp.messages[0];
  assert.deepEqual(email.to, ['oncall@example.test']);
  assert.match(smtp.header(email, 'Subject') ?? '', /checkout failed/);
  assert.match(smtp.header(email, 'Message-ID') ?? '', /^<.+@.+>$/);

  // 2. The same error again, within the throttle: applied, and no firing recorded for it.
  await sendAndApply(2);
  const afterSecond = await deliveries();
  assert.equal(afterSecond.filter((d) => d.kind === 'webhooks').length, 1, JSON.stringify(afterSecond));
  assert.equal(afterSecond.filter((d) => d.kind === 'email').length, 1, JSON.stringify(afterSecond));

  // 3. Resolve in the next release (a semver project: recorded as resolved in 1.0.0).
  let r = await server.call('PUT', `/api/0/organizations/${ORG}/issues/${first.id}/`, { status: 'resolved', statusDetails: { inNextRelease: true } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'resolved');

  // An event from the old release: counted, the issue stays resolved, nothing fires.
  await sendAndApply(3).catch(async (e) => { throw new Error(`${e.message}; issue: ${JSON.stringify(await server.api(`/api/0/organizations/${ORG}/issues/${first.id}/`))}`); });
  let details = await server.api(`/api/0/organizations/${ORG}/issues/${first.id}/`);
  assert.equal(details.status, 'resolved');
  assert.equal(details.statusDetails.inRelease, 'shop@1.0.0');
  assert.equal((await deliveries()).length, 2);

  // A newer release regresses it and fires the regression rule once.
  release = 'shop@1.1.0';
  await sendAndApply(4);
  details = await server.api(`/api/0/organizations/${ORG}/issues/${first.id}/`);
  assert.equal(details.status, 'unresolved');
  assert.equal(details.substatus, 'regressed');
  await waitFor('the regression webhook', () => hook.requests.length >= 2, 30_000);
  assert.equal(hook.requests.length, 2);
  assert.deepEqual(hook.requests[1].json.triggering_rules, ['webhook on regression']);
  assert.notEqual(hook.requests[1].headers[DELIVERY_HEADER], hook.requests[0].headers[DELIVERY_HEADER]);
  const activity = await server.api(`/api/0/organizations/${ORG}/issues/${first.id}/activities/`);
  const types = (activity.activity ?? activity).map((a) => a.type);
  assert.ok(types.includes('set_regression'), JSON.stringify(types));
  // Exactly one regression webhook and nothing else: all recorded deliveries are delivered.
  const all = await deliveries();
  assert.equal(all.filter((d) => d.kind === 'webhooks').length, 2, JSON.stringify(all));
});

// Sends one error event with the real @sentry/node SDK, as an application would, and prints its
// event id. The browser tests run it with one JSON argument:
//   { "dsn": "...", "message": "...", "fingerprint": "...", "level": "error", "environment": "...",
//     "release": "...", "tags": { "k": "v" }, "breadcrumbs": [{ "category": "...", "message": "..." }],
//     "user": { "id": "..." } }
// The error is thrown from functions in this file (in-app frames with context lines) and caught by
// the SDK's captureException. `fingerprint` makes each test's event its own issue: the stack would
// otherwise group every test's events together.
import * as Sentry from '@sentry/node';

const spec = JSON.parse(process.argv[2] ?? '{}');
if (!spec.dsn || !spec.message) {
  console.error('usage: node send.mjs \'{"dsn":"…","message":"…"}\'');
  process.exit(2);
}

Sentry.init({
  dsn: spec.dsn,
  release: spec.release,
  environment: spec.environment ?? 'browser-tests',
  defaultIntegrations: false,
  integrations: [Sentry.linkedErrorsIntegration(), Sentry.contextLinesIntegration()],
  tracesSampleRate: 0,
});

for (const [key, value] of Object.entries(spec.tags ?? {})) Sentry.setTag(key, value);
if (spec.user) Sentry.setUser(spec.user);
for (const crumb of spec.breadcrumbs ?? []) Sentry.addBreadcrumb({ level: 'info', ...crumb });

function chargeCard(message) {
  throw new Error(message);
}

function checkout(message) {
  return chargeCard(message);
}

let eventId;
try {
  checkout(spec.message);
} catch (error) {
  eventId = Sentry.captureException(error, {
    level: spec.level ?? 'error',
    fingerprint: spec.fingerprint ? [spec.fingerprint] : undefined,
  });
}

const flushed = await Sentry.close(15_000);
if (!flushed) {
  console.error('the SDK could not send the event within 15 s');
  process.exit(1);
}
console.log(eventId);

// Local receivers for alert deliveries: an HTTP endpoint that records every request (and can be told
// to fail or hang), and a real SMTP server on loopback (npm `smtp-server`) that records every message.
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';

/**
 * An HTTP receiver on a free loopback port. `respond(request, index)` returns the status to answer
 * (default 200) or the string 'hang' to never answer. Every request is kept in `requests`
 * ({ path, headers, body, json, at }), whatever it was answered.
 */
export async function startHttpReceiver(respond = () => 200) {
  const requests = [];
  const hanging = new Set();
  const server = createServer((incoming, outgoing) => {
    const chunks = [];
    incoming.on('data', (c) => chunks.push(c));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json = null;
      try { json = JSON.parse(body); } catch { /* not JSON: kept as text */ }
      const request = { path: incoming.url, method: incoming.method, headers: incoming.headers, body, json, at: Date.now() };
      requests.push(request);
      const answer = respond(request, requests.length - 1);
      if (answer === 'hang') { hanging.add(outgoing); return; }
      outgoing.writeHead(answer, { 'Content-Type': 'text/plain' });
      outgoing.end(answer < 300 ? 'ok' : 'failing on purpose');
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((ok) => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections?.();
      server.close(() => ok());
    }),
  };
}

/** A real SMTP server on a free loopback port (no TLS, no auth); `messages` holds { from, to, raw, at }. */
export async function startSmtpReceiver() {
  const messages = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom?.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        callback();
      });
    },
  });
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(0, '127.0.0.1', ok); });
  const { port } = server.server.address();
  return {
    host: '127.0.0.1',
    port,
    messages,
    /** A header of a recorded message (first occurrence, unfolded), or null. */
    header: (message, name) => {
      const head = message.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
      const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
      return line ? line.slice(name.length + 1).trim() : null;
    },
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

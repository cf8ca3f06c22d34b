// An SMTP server on 127.0.0.1 for the email alert tests: accepts any sender and recipient without
// authentication (STARTTLS off), and prints one JSON line per received message on stdout:
// {"from": "...", "to": ["..."], "raw": "<base64 of the message>"}. The first line is
// {"listening": <port>}. Usage: node server.js [port] (0 or none: a free port).
'use strict';
const { SMTPServer } = require('smtp-server');

const port = Number(process.argv[2] || 0);
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      process.stdout.write(JSON.stringify({
        from: session.envelope.mailFrom && session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('base64'),
      }) + '\n');
      callback();
    });
  },
});
server.on('error', (error) => process.stderr.write(`smtp server error: ${error.message}\n`));
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ listening: server.server.address().port }) + '\n');
});
// Stop with the test process: stdin closes when the parent goes away.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

// A webhook receiver for the tests: a real HTTP server that checks every
// delivery's signature with the standardwebhooks library (the reference
// implementation of the Standard Webhooks specification, not ours) and appends
// what it got to a JSON-lines file.
//
//   node receiver.js PORT SECRET LOG_FILE [STATUS [DELAY_MS]]
//
// STATUS (default 200) is what it answers; DELAY_MS how long it waits first.
'use strict';
const fs = require('fs');
const http = require('http');
const { Webhook } = require('standardwebhooks');

const [port, secret, logFile, status = '200', delay = '0'] = process.argv.slice(2);
if (!port || !secret || !logFile) {
  console.error('usage: node receiver.js PORT SECRET LOG_FILE [STATUS [DELAY_MS]]');
  process.exit(2);
}
const webhook = new Webhook(secret);

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const record = {
      method: req.method,
      url: req.url,
      id: req.headers['webhook-id'] || null,
      timestamp: req.headers['webhook-timestamp'] || null,
      content_type: req.headers['content-type'] || null,
      verified: false,
      error: null,
      payload: null,
      answered: Number(status),
    };
    try {
      record.payload = webhook.verify(body, req.headers);
      record.verified = true;
    } catch (e) {
      record.error = String(e && e.message ? e.message : e);
    }
    setTimeout(() => {
      fs.appendFileSync(logFile, JSON.stringify(record) + '\n');
      res.writeHead(Number(status), { 'Content-Type': 'text/plain' });
      res.end('ok\n');
    }, Number(delay));
  });
});
server.listen(Number(port), '127.0.0.1', () => console.log('listening on ' + port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

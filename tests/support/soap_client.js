// npm `soap` (node-soap) as a real SOAP client for tests/integration/test_soap.py.
//
//   node soap_client.js WSDL_URL
//
// Loads the WSDL, prints {"ready":true,"operations":[...]} and then answers one
// JSON request per stdin line with one JSON line on stdout:
//   in:  {"op":"Messages.sendSms","args":{...},"auth":{"bearer":"..."}|{"basic":["u","p"]}|null}
//   out: {"ok":true,"result":<node-soap's parsed answer>}
//      | {"ok":false,"status":<HTTP status>,"fault":<Body.Fault as parsed>,"message":"..."}
// Requests run one at a time, in order. Ends when stdin closes.
'use strict';

const path = require('path');
const readline = require('readline');
const soap = require(path.join(__dirname, '..', '..', 'node_modules', 'soap'));

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

async function main() {
  const wsdl = process.argv[2];
  const client = await soap.createClientAsync(wsdl, { disableCache: true });
  const description = client.describe();
  const service = Object.values(description)[0];
  const port = Object.values(service)[0];
  out({ ready: true, operations: Object.keys(port) });

  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const req = JSON.parse(line);
    const auth = req.auth || {};
    if (auth.bearer) {
      client.setSecurity(new soap.BearerSecurity(auth.bearer));
    } else if (auth.basic) {
      client.setSecurity(new soap.BasicAuthSecurity(auth.basic[0], auth.basic[1]));
    } else {
      client.setSecurity({ addOptions() {}, toXML() { return ''; }, addHeaders() {} });
    }
    // Dotted names get only the callback form (node-soap adds `…Async` for names that are
    // identifiers); `client['Messages.sendSms'](args, cb)` is how its users call them.
    const method = client[req.op];
    if (typeof method !== 'function') {
      out({ ok: false, status: 0, fault: null, message: 'no such operation: ' + req.op });
      continue;
    }
    try {
      const result = await new Promise((resolve, reject) => {
        method.call(client, req.args || {}, (err, res) => (err ? reject(err) : resolve(res)));
      });
      out({ ok: true, result: result === undefined ? null : result });
    } catch (err) {
      const fault = err && err.root && err.root.Envelope && err.root.Envelope.Body
        ? err.root.Envelope.Body.Fault : null;
      const status = err && err.response ? err.response.status : 0;
      out({ ok: false, status, fault: fault || null, message: String(err && err.message) });
    }
  }
}

main().catch((err) => {
  out({ ready: false, message: String(err && err.stack || err) });
  process.exit(1);
});

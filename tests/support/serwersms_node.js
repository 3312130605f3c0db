// Drives bramka through the provider's own Node client, npm `serwersms.pl`
// (SerwerSMSpl/serwersms-node-api), unchanged: the only setting touched is its
// public `api_url`, as a customer pointing it at their bramka would.
//
//   node serwersms_node.js URL USERNAME PASSWORD STEPS_JSON
//
// STEPS_JSON: [[group, method, [args...]], ...], e.g.
//   [["oMessages","sendSms",[{"phone":["500600700"],"text":"hi"}]]]
// Each step is the client's method called with the args and a callback; the
// steps run one after another and the answers (the raw bodies the client
// hands its callback) are printed as one JSON array of strings.
'use strict';

const path = require('path');
// The client requires `request` (a peer it does not declare): both are in the
// project's node_modules (package.json).
const client = require(path.join(__dirname, '..', '..', 'node_modules', 'serwersms.pl'));

const [url, username, password, stepsJson] = process.argv.slice(2);
const sms = client.serwerSMS(username, password);
sms.api_url = url.endsWith('/') ? url : url + '/';

const steps = JSON.parse(stepsJson);
const answers = [];
process.on('uncaughtException', (err) => {
  process.stderr.write(`serwersms_node: ${err.stack || err}\n`);
  process.exit(2);
});

function next(i) {
  if (i === steps.length) {
    process.stdout.write(JSON.stringify(answers) + '\n');
    return;
  }
  const [group, method, args] = steps[i];
  const target = sms[group];
  if (!target || typeof target[method] !== 'function') {
    throw new Error(`no method ${group}.${method} in the client`);
  }
  target[method](...args, (body) => {
    answers.push(String(body));
    next(i + 1);
  });
}
next(0);

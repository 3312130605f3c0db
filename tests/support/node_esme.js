// An ESME (SMPP client) for bramka's integration tests, written with node-smpp (npm `smpp`),
// driven line by line over stdin/stdout in JSON so that a Python test controls each step:
//   {"id":1,"op":"connect","port":N[,"tls":true]}          -> {"id":1,"ok":true}
//   {"id":2,"op":"bind","type":"transceiver","system_id":"demo","password":"demo"}
//                                                          -> {"id":2,"status":0}
//   {"id":3,"op":"submit","pdu":{...},"short_message_hex":"..."} -> {"id":3,"status":0,"message_id":"..."}
//   {"id":4,"op":"unbind"} -> {"id":4,"ok":true}            {"id":5,"op":"close"}
// Events: {"event":"deliver",...} for each deliver_sm (answered ESME_ROK), {"event":"close"}.
'use strict';
const path = require('path');
const readline = require('readline');
const smpp = require(path.join(__dirname, '..', '..', 'node_modules', 'smpp'));

let session = null;
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

function text(sm) {
  if (sm === undefined || sm === null) return '';
  if (typeof sm === 'string') return sm;
  if (Buffer.isBuffer(sm)) return sm.toString('latin1');
  if (sm.message !== undefined) return typeof sm.message === 'string' ? sm.message : sm.message.toString('latin1');
  return String(sm);
}

readline.createInterface({input: process.stdin}).on('line', (line) => {
  const cmd = JSON.parse(line);
  const reply = (o) => out(Object.assign({id: cmd.id}, o));
  switch (cmd.op) {
    case 'connect': {
      let answered = false;
      // "tls": SMPP over TLS to bramka's self-signed certificate (not verified here).
      const scheme = cmd.tls ? 'ssmpp' : 'smpp';
      session = smpp.connect({url: `${scheme}://127.0.0.1:${cmd.port}`, auto_enquire_link_period: 0,
                              rejectUnauthorized: false}, () => {
        session.socket.setNoDelay(true);
        answered = true;
        reply({ok: true});
      });
      session.on('error', (e) => { if (!answered) { answered = true; reply({ok: false, error: String(e)}); } });
      session.on('close', () => out({event: 'close'}));
      session.on('deliver_sm', (pdu) => {
        session.send(pdu.response());
        out({event: 'deliver', esm_class: pdu.esm_class, source_addr: pdu.source_addr,
             destination_addr: pdu.destination_addr, short_message: text(pdu.short_message),
             receipted_message_id: pdu.receipted_message_id, message_state: pdu.message_state});
      });
      session.on('enquire_link', (pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu) => { session.send(pdu.response()); session.close(); });
      break;
    }
    case 'bind':
      session['bind_' + cmd.type]({system_id: cmd.system_id, password: cmd.password},
                                  (pdu) => reply({status: pdu.command_status}));
      break;
    case 'submit': {
      const p = Object.assign({}, cmd.pdu);
      if (cmd.short_message_hex !== undefined) p.short_message = Buffer.from(cmd.short_message_hex, 'hex');
      if (cmd.message_payload_hex !== undefined) p.message_payload = Buffer.from(cmd.message_payload_hex, 'hex');
      session.submit_sm(p, (pdu) => reply({status: pdu.command_status, message_id: pdu.message_id}));
      break;
    }
    case 'unbind':
      session.unbind(() => { reply({ok: true}); session.close(); });
      break;
    case 'close':
      session.close();
      reply({ok: true});
      break;
    default:
      reply({error: 'unknown op ' + cmd.op});
  }
});

// An independent SMSC for bramka's integration tests, written with node-smpp (npm `smpp`):
// binds any transceiver, or a transmitter + receiver pair (receipts of what a transmitter
// submitted go to a bound receiver, held until one binds), answers submit_sm with upper-case, zero-padded hexadecimal ids and
// sends a delivery receipt per message whose text gives the id in DECIMAL (a real vendor
// quirk); every other receipt also carries receipted_message_id (hex, as in the response)
// and message_state. Prints {"port":N} once listening, then one JSON line per event.
// Incoming messages (MO, docs/adr/0011): a stdin line {"mo":{"from":"48600100001",
// "to":"48500000101","text":"hi"[,"udh_hex":"050003AB0201"]}} sends that deliver_sm
// (esm_class 0, or 0x40 with the UDH) on the latest bound session and prints
// {"event":"mo_resp","to":...,"text":...,"status":N} when it is answered.
'use strict';
const path = require('path');
const smpp = require(path.join(__dirname, '..', '..', 'node_modules', 'smpp'));

let nextId = 0x1000 + Math.floor(Math.random() * 0x1000);
let latest = null;  // the latest bound receiving session, for MO
const receivers = new Set();  // bound receivers (bind_receiver)
const held = [];  // receipts waiting for a receiver
function deliver(from, receipt) {
  if (from.receives) { from.deliver_sm(receipt); return; }
  const rx = receivers.values().next().value;
  if (rx) rx.deliver_sm(receipt); else held.push(receipt);
}
const server = smpp.createServer((session) => {
  session.on('error', () => {});
  if (session.socket && session.socket.setNoDelay) session.socket.setNoDelay(true);
  const bound = (mode, receives) => (pdu) => {
    session.send(pdu.response());
    session.receives = receives;
    if (receives) latest = session;
    if (mode === 'receiver') {
      receivers.add(session);
      while (held.length) session.deliver_sm(held.shift());
    }
    console.log(JSON.stringify({event: 'bind', system_id: pdu.system_id, mode}));
  };
  session.on('bind_transceiver', bound('transceiver', true));
  session.on('bind_transmitter', bound('transmitter', false));
  session.on('bind_receiver', bound('receiver', true));
  session.on('close', () => receivers.delete(session));
  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  session.on('unbind', (pdu) => { session.send(pdu.response()); session.close(); });
  session.on('deliver_sm_resp', () => {});
  session.on('submit_sm', (pdu) => {
    const n = nextId++;
    const hex = n.toString(16).toUpperCase().padStart(10, '0');
    session.send(pdu.response({message_id: hex}));
    console.log(JSON.stringify({event: 'submit', id: hex, dest: pdu.destination_addr,
                                src: pdu.source_addr}));
    setTimeout(() => {
      const text = `id:${n} sub:001 dlvrd:001 submit date:2601010000 done date:2601010000 ` +
                   `stat:DELIVRD err:000 Text:`;
      const receipt = {
        source_addr: pdu.destination_addr,
        destination_addr: pdu.source_addr,
        esm_class: 0x04,
        short_message: text,
      };
      if (n % 2 === 0) {
        receipt.receipted_message_id = hex;
        receipt.message_state = 2;
      }
      deliver(session, receipt);
      console.log(JSON.stringify({event: 'receipt', id: hex}));
    }, 50);
  });
});
server.on('error', (e) => { console.error(e); process.exit(1); });
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({port: server.address().port}));
});
process.on('SIGTERM', () => process.exit(0));
require('readline').createInterface({input: process.stdin}).on('line', (line) => {
  const mo = JSON.parse(line).mo;
  if (!mo || !latest) { console.log(JSON.stringify({event: 'mo_error', line})); return; }
  const text = Buffer.from(mo.text, 'latin1');
  const udh = mo.udh_hex ? Buffer.from(mo.udh_hex, 'hex') : Buffer.alloc(0);
  latest.deliver_sm({
    source_addr_ton: 1, source_addr_npi: 1, source_addr: mo.from,
    dest_addr_ton: mo.to.length > 6 ? 1 : 0, dest_addr_npi: 1, destination_addr: mo.to,
    esm_class: mo.udh_hex ? 0x40 : 0, data_coding: 0, short_message: Buffer.concat([udh, text]),
  }, (resp) => console.log(JSON.stringify({event: 'mo_resp', to: mo.to, text: mo.text,
                                           status: resp.command_status})));
});

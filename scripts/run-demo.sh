#!/usr/bin/env bash
# `make run`: a demo install in ./demo (created once), served in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BRAMKA_BIN:-build/release/src/app/bramka}
dir=${BRAMKA_DEMO_DIR:-demo}
if [ ! -f "$dir/bramka.toml" ]; then
  "$bin" init "$dir" --demo
  "$bin" admin --config "$dir/bramka.toml" panel password --password operator >/dev/null
fi
http_port=$(sed -n '/^\[http\]/,/^\[/s/^port = \([0-9]*\).*/\1/p' "$dir/bramka.toml")
https_port=$(sed -n '/^\[http\]/,/^\[/s/^https_port = \([0-9]*\).*/\1/p' "$dir/bramka.toml")
smpp_port=$(sed -n '/^\[smpp\]/,/^\[/s/^port = \([0-9]*\).*/\1/p' "$dir/bramka.toml")
token=$(cat "$dir/demo-token.txt" 2>/dev/null || echo "(see bramka admin token add demo)")
cat <<MSG

bramka demo
  API (HTTP):   http://127.0.0.1:${http_port}/
  API (HTTPS):  https://127.0.0.1:${https_port}/  (self-signed certificate in $dir/tls)
  login:        demo / demo
  API token:    ${token}
  try:          curl -s http://127.0.0.1:${http_port}/messages/send_sms -H "Authorization: Bearer ${token}" \\
                  -H 'Content-Type: application/json' -d '{"phone":"500600700","text":"Zażółć gęślą jaźń","details":true}'
  panel:        http://127.0.0.1:${http_port}/panel/  (customer demo / demo; operator password "operator")
  SMPP:         127.0.0.1:${smpp_port}  system_id demo, password demo
  SOAP:         http://127.0.0.1:${http_port}/soap?wsdl
  OpenAPI:      http://127.0.0.1:${http_port}/openapi.json
  metrics:      http://127.0.0.1:${http_port}/metrics
  stop:         Ctrl-C

MSG
exec "$bin" serve --config "$dir/bramka.toml"

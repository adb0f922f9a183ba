#!/usr/bin/env bash
# wrk.sh loads the real engage binary with wrk the way ../shared/bench-peers loads its peers:
# showAgentGroup over 32 connections, then listAgentStatesUsingEntity of an agent group of
# 1,000 agents over 4, each for DURATION seconds (10) after 2 s of warm-up, on a new demo
# database, with HTTP Basic and the JSON log. It prints requests/s, latency and the peak
# resident size after each load. Extra arguments go to engage serve. Needs wrk (apt-get
# install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10}
command -v wrk >/dev/null || { echo "wrk.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
make -s build
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT

bin/engage demo --db "$dir/e.db" >/dev/null
printf 'bench-password-1\n' | bin/engage operator add --db "$dir/e.db" --name bench \
  --role ADMINISTRATOR --password-stdin >/dev/null
ENGAGE_LOG_FORMAT=json ENGAGE_MAX_AGENTS=2000 bin/engage serve --db "$dir/e.db" \
  --listen 127.0.0.1:0 "$@" >"$dir/out" 2>"$dir/log" &
pid=$!
for _ in $(seq 100); do grep -q 'serving on' "$dir/out" && break; sleep 0.1; done
url="http://$(grep -o 'serving on [0-9.:]*' "$dir/out" | cut -d' ' -f3)/services/ContactCenter"
auth="Authorization: Basic $(printf 'bench:bench-password-1' | base64)"

# envelope OP INNER writes a request of OP whose wrapper holds INNER.
envelope() {
  printf '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cc="urn:engage:contactcenter:1"><soapenv:Header/><soapenv:Body><cc:%s>%s</cc:%s></soapenv:Body></soapenv:Envelope>' "$1" "$2" "$1"
}
# call OP FILE sends the request in FILE and fails unless it succeeds without a warning.
call() {
  answer=$(curl -sS -H "$auth" -H 'Content-Type: text/xml; charset=utf-8' \
    -H "SOAPAction: \"urn:engage:contactcenter:1/$1\"" --data-binary @"$2" "$url")
  case $answer in
  *Fault* | *'<warning>'*) echo "wrk.sh: $1 failed: ${answer:0:400}" >&2; exit 1 ;;
  esac
}
# load OP FILE CONNECTIONS runs wrk and prints its result and the peak resident size so far.
load() {
  call "$1" "$2"
  WRK_BODY=$2 WRK_ACTION=$1 wrk -t2 -c"$3" -d2s -H "$auth" -s bench/post.lua "$url" >/dev/null
  result=$(WRK_BODY=$2 WRK_ACTION=$1 wrk -t2 -c"$3" -d"${duration}s" -H "$auth" -s bench/post.lua "$url" |
    grep RESULT | cut -d' ' -f2-)
  printf '%-28s %s %s\n' "$1" "$result" "$(awk '/VmHWM/ {printf "peak_rss_mib=%.1f", $2 / 1024}' "/proc/$pid/status")"
}

envelope showAgentGroup '<cc:agentGroup><cc:externalId>sales</cc:externalId><cc:parent><cc:externalId>demo-account</cc:externalId></cc:parent></cc:agentGroup>' >"$dir/show.xml"
load showAgentGroup "$dir/show.xml" 32

# The demo's sales group has 3 agents: 997 more make 1,000.
users= agents=
for i in $(seq -w 1 997); do
  users+="<cc:users><cc:externalId>bulk$i</cc:externalId><cc:parent><cc:externalId>demo-account</cc:externalId></cc:parent><cc:firstName>Bulk</cc:firstName><cc:lastName>Agent $i</cc:lastName><cc:email>bulk$i@example.com</cc:email></cc:users>"
  agents+="bulk$i"$'\n'
done
envelope createUsers "$users" >"$dir/users.xml"
call createUsers "$dir/users.xml"
envelope createAgentsUsingString "<cc:agents>$agents</cc:agents><cc:agentGroup><cc:externalId>sales</cc:externalId><cc:parent><cc:externalId>demo-account</cc:externalId></cc:parent></cc:agentGroup>" >"$dir/agents.xml"
call createAgentsUsingString "$dir/agents.xml"
envelope listAgentStatesUsingEntity '<cc:baseEntity><cc:externalId>sales</cc:externalId><cc:type>AGENT_GROUP</cc:type></cc:baseEntity>' >"$dir/list.xml"
load listAgentStatesUsingEntity "$dir/list.xml" 4

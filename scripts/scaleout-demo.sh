#!/usr/bin/env bash
# scaleout-demo.sh: two `dateline serve` processes on one PostgreSQL database
# share the polling of a local publisher's 100 feeds; then the clustering
# leader is killed with SIGKILL in the middle of the next round and the
# survivor finishes the work. The script checks, from the publisher's request
# log and the database, that every feed is fetched once per interval, no
# article is stored twice and every article is in exactly one live story.
#
#   scripts/scaleout-demo.sh             run the demo (about a minute)
#   scripts/scaleout-demo.sh --measure [go test flags, e.g. -count 3]
#                                        ingest throughput: 1 process on SQLite
#                                        vs 1 and 2 on PostgreSQL (4 minutes a count)
#
# Needs go, psql and curl, and a PostgreSQL server that lets you create
# databases. The publisher spreads its outlets over loopback addresses
# 127.0.0.1-127.0.0.100 (Linux routes all of 127/8; elsewhere it uses one). It creates a fresh database dateline_scale_<random> and drops it
# at the end. Environment:
#   DATELINE_TEST_POSTGRES_URL  server URL (default postgres://root@127.0.0.1:5432/postgres?sslmode=disable)
#   FEEDS, ITEMS, DELAY         publisher size: feeds, articles per feed per round, page delay (100, 5, 40ms)
#   PORT_A, PORT_B              where the two processes listen (18081, 18082)
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }
measure=0
case "${1:-}" in
"") ;;
--measure) measure=1; shift ;;
-h | --help) usage; exit 0 ;;
*) usage >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pg=${DATELINE_TEST_POSTGRES_URL:-postgres://root@127.0.0.1:5432/postgres?sslmode=disable}

if [ "$measure" = 1 ]; then
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
	DATELINE_TEST_POSTGRES_URL=$pg go test -run '^$' -bench BenchmarkScaleOut -benchtime 1x -count 1 "$@" ./cmd/dateline |
		grep -v 'msg=request'
	echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
	exit 0
fi

feeds=${FEEDS:-100}
items=${ITEMS:-5}
delay=${DELAY:-40ms}
port_a=${PORT_A:-18081}
port_b=${PORT_B:-18082}

work=$(mktemp -d)
db=dateline_scale_$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')
# Same server and options, another database.
with_db() { printf '%s' "$pg" | sed -E "s#^(postgres(ql)?://[^/?]+)(/[^?]*)?#\1/$1#"; }
admin=$(with_db postgres)
dsn=$(with_db "$db")
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
sql() { psql "$dsn" -XAtqc "$1"; }
say() { printf '\n== %s\n' "$*"; }

say "building dateline and the local publisher"
go build -o "$work/dateline" ./cmd/dateline
go build -o "$work/feedsite" ./scripts/feedsite
"$work/feedsite" -feeds "$feeds" -items "$items" -delay "$delay" -hosts "$feeds" >"$work/site.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q '^opml ' "$work/site.out" && break; sleep 0.1; done
opml=$(awk '/^opml /{print $2}' "$work/site.out")
[ -n "$opml" ] || { cat "$work/site.out"; exit 1; }
site=${opml%/opml.xml}
echo "publisher: $feeds feeds x $items articles per round at $site (pages take $delay)"

say "database $db"
psql "$admin" -qc "CREATE DATABASE $db"
curl -fsS "$opml" -o "$work/outlets.opml"
"$work/dateline" feeds import --database "$dsn" "$work/outlets.opml"

declare -A pid_of
for port in "$port_a" "$port_b"; do
	"$work/dateline" serve --addr "127.0.0.1:$port" --database "$dsn" --allow-private-networks \
		--per-host-interval 0s --poll-interval 1m --lease 3s 2>"$work/serve-$port.log" &
	pids+=($!)
	pid_of[$port]=$!
	echo "dateline serve on http://127.0.0.1:$port (pid $!), log $work/serve-$port.log"
done

# wait_done N: until N articles are stored, all in a story, and every feed's
# poll is saved.
wait_done() {
	local want=$1 deadline=$((SECONDS + 120)) line
	while :; do
		line=$(sql "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM articles WHERE story_id <> 0),
			(SELECT COUNT(*) FROM feeds WHERE last_poll = 0 OR lease_owner <> '')" | tr '|' ' ')
		read -r n c unsaved <<<"$line"
		printf '\r   %4d/%d articles stored, %4d in a story, %3d feeds in flight ' "$n" "$want" "$c" "$unsaved"
		if [ "$n" = "$want" ] && [ "$c" = "$want" ] && [ "$unsaved" = 0 ]; then
			echo
			return 0
		fi
		[ $SECONDS -lt $deadline ] || { echo; echo "FAIL: not done in 120 s"; return 1; }
		sleep 0.5
	done
}

fail=0
check() { # check DESCRIPTION GOT WANT
	if [ "$2" = "$3" ]; then echo "ok    $1: $2"; else echo "FAIL  $1: $2, want $3"; fail=1; fi
}
polled() { grep -o 'msg="polled feeds".* feeds=[0-9]*' "$1" | grep -o '[0-9]*$' | awk '{s+=$1} END {print s+0}'; }

published() { curl -fsS "$site/_stats" | grep -o '"published":[0-9]*' | cut -d: -f2; }

say "round 1: both processes poll $feeds due feeds"
wait_done "$(published)"
sleep 1
for port in "$port_a" "$port_b"; do
	echo "   process on :$port polled $(polled "$work/serve-$port.log") feeds"
done
fetches1=$(curl -fsS "$site/_fetches?round=1")
check "feeds fetched in round 1" "$(grep -c ' /feeds/' <<<"$fetches1")" "$feeds"
check "feeds fetched more than once in round 1" "$(awk '$2 ~ /^\/feeds\// && $1 != 1' <<<"$fetches1" | wc -l)" 0
check "pages fetched more than once in round 1" "$(awk '$2 ~ /^\/a\// && $1 != 1' <<<"$fetches1" | wc -l)" 0
# The wire story is listed in every feed: each process may fetch it once.
echo "   the wire story listed in all $feeds feeds was fetched $(awk '$2 == "/wire/1" {print $1}' <<<"$fetches1") time(s)"
check "feeds scheduled sooner than the interval" "$(sql 'SELECT COUNT(*) FROM feeds WHERE next_poll < last_poll + 60000000')" 0
leader=""
for port in "$port_a" "$port_b"; do
	grep -q 'leading the clustering stage' "$work/serve-$port.log" && leader=$port
done
[ -n "$leader" ] || { echo "FAIL: no process leads clustering"; exit 1; }
survivor=$port_a
[ "$leader" = "$port_a" ] && survivor=$port_b
echo "   the process on :$leader leads clustering"

say "round 2: new articles, the interval elapses, the leader is killed mid-ingest"
curl -fsS -X POST "$site/_next"
# Stand in for the minute the schedule would wait.
sql "UPDATE feeds SET next_poll = (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::bigint" >/dev/null
want=$(published)
until [ "$(sql 'SELECT COUNT(*) FROM articles')" -ge $((want - 2 * (want / 2) / 3)) ]; do sleep 0.1; done
kill -9 "${pid_of[$leader]}"
wait "${pid_of[$leader]}" 2>/dev/null || true
echo "   kill -9 of :$leader at $(sql 'SELECT COUNT(*) FROM articles') of $want articles"
sleep 0.3
held=$(sql "SELECT url FROM feeds WHERE lease_owner LIKE '%/127.0.0.1:$leader'" | sed -E 's#^https?://[^/]+##')
echo "   it held $(grep -c . <<<"$held" || true) feed leases; they expire 3 s after they were taken"
wait_done "$want"
grep -q 'leading the clustering stage' "$work/serve-$survivor.log" && echo "   :$survivor took over clustering" ||
	{ echo "FAIL  the survivor never took over clustering"; fail=1; }

fetches2=$(curl -fsS "$site/_fetches?round=2")
check "feeds fetched in round 2" "$(grep -c ' /feeds/' <<<"$fetches2")" "$feeds"
# A feed the dead process held may be fetched again by the survivor, once.
check "feeds fetched twice in round 2 that the dead process did not hold" \
	"$(awk '$2 ~ /^\/feeds\// && $1 == 2 {print $2}' <<<"$fetches2" | grep -vxF -f <(printf '%s\n' "$held") | wc -l)" 0
check "feeds fetched more than twice in round 2" "$(awk '$2 ~ /^\/feeds\// && $1 > 2' <<<"$fetches2" | wc -l)" 0

say "integrity"
check "articles stored" "$(sql 'SELECT COUNT(*) FROM articles')" "$want"
check "distinct article URLs" "$(sql 'SELECT COUNT(DISTINCT url) FROM articles')" "$want"
check "articles without a live story" "$(sql 'SELECT COUNT(*) FROM articles a LEFT JOIN stories s ON s.id = a.story_id WHERE s.id IS NULL OR s.merged_into <> 0')" 0
check "articles counted in live stories" "$(sql 'SELECT COALESCE(SUM(articles), 0) FROM stories WHERE merged_into = 0')" "$want"
echo "   $(sql 'SELECT COUNT(*) FROM stories WHERE merged_into = 0') live stories"

if [ "$fail" = 0 ]; then say PASS; else say FAIL; exit 1; fi

#!/bin/sh
# t/svweb.sh: svweb on a free loopback port over a scratch tree of five
# services run by tend's svscan: web (up, essential, ready by its check,
# with a logger), backup (normally down), worker (exits 3 at once, failed
# after max-restarts 2), db (ready, then its check fails twice and hangs,
# so the streak stays 2/5; two bad config files) and api (its check never
# passes: starting). The health of each on the page, its own page and in
# /metrics.
# /status.json against svstat -j, /metrics against svstat and history and
# through promtool, the page in headless Chromium (rows in --dump-dom, a
# screenshot: SVWEB_SHOT=FILE keeps it), the bad requests (each code, the
# next good request still served, no descriptor leaked), keep-alive,
# HTTP/1.0, control by POST with a token, TERM.
# not tested: EMFILE on accept, a client that never reads its response
# (10 s), IPv6 listening, responses past 32 MiB.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"

USAGE="usage: svweb [-l ADDR:PORT] [-c TOKENFILE] DIR"
svweb -h >"$T/out" 2>&1
check_eq "-h: usage, exit 0" "0:$USAGE" "$?:$(cat "$T/out")"
svweb -V >"$T/out" 2>&1
check_eq "-V: version, exit 0" "0:svweb (tend) 0.1.0" "$?:$(cat "$T/out")"
svweb >"$T/out" 2>&1
check_eq "no directory: 100" "100:svweb: fatal: no directory given
$USAGE" "$?:$(cat "$T/out")"
svweb -l nonsense "$T" >"$T/out" 2>&1
check_eq "bad address: 100" "100:svweb: fatal: bad listen address: nonsense" \
    "$?:$(cat "$T/out")"
svweb -l 127.0.0.1:x "$T" >"$T/out" 2>&1
check_eq "bad port: 100" 100 "$?"
: >"$T/empty"
svweb -c "$T/empty" "$T" >"$T/out" 2>&1
check_eq "empty token file: 100" \
    "100:svweb: fatal: no usable token in $T/empty" "$?:$(cat "$T/out")"

if ! command -v python3 >/dev/null 2>&1; then
	skip "every request test" "python3 not installed: apt-get install python3"
	done_testing
	exit
fi
W="python3 $TOP/t/helpers/webc.py"

# --- the tree
S=$T/sv
mkdir -p "$S/web/log" "$S/backup" "$S/worker" "$S/db" "$S/api"
cat >"$S/web/run" <<'EOF'
#!/bin/sh
echo "web: listening on :8000"
i=0
while :; do
	i=$((i + 1))
	echo "GET /item/$i 200 <ok> & done"
	[ "$i" -gt 12 ] && sleep 1
done
EOF
printf '#!/bin/sh\nexec svlog ./main\n' >"$S/web/log/run"
printf '#!/bin/sh\necho "web: ok"\n' >"$S/web/check"
: >"$S/web/essential"
# db: passes once (ready), fails twice, then hangs with no check-timeout:
# no further result, so its streak stays at 2 of 5.
cat >"$S/db/check" <<'EOF'
#!/bin/sh
n=$(($(cat count 2>/dev/null || echo 0) + 1))
echo "$n" >count
[ "$n" -eq 1 ] && exit 0
[ "$n" -le 3 ] && { echo "db: connection <refused>"; exit 1; }
exec sleep 1000
EOF
printf '#!/bin/sh\nexec sleep 1000\n' >"$S/db/run"
echo 50 >"$S/db/check-interval"
echo 5 >"$S/db/check-failures"
echo 0 >"$S/db/check-timeout"
echo abc >"$S/db/timeout-kill"
echo sometimes >"$S/db/restart"
printf '#!/bin/sh\nexec sleep 1000\n' >"$S/api/run"
printf '#!/bin/sh\necho "api: not yet"\nexit 1\n' >"$S/api/check"
printf '#!/bin/sh\nexec sleep 1000\n' >"$S/backup/run"
: >"$S/backup/down"
printf '#!/bin/sh\necho "worker: cannot reach queue" >&2\nexit 3\n' \
    >"$S/worker/run"
echo 2 >"$S/worker/max-restarts"
chmod +x "$S/web/run" "$S/web/log/run" "$S/backup/run" "$S/worker/run" \
    "$S/web/check" "$S/db/run" "$S/db/check" "$S/api/run" "$S/api/check"
(cd "$T" && exec svscan sv >"$T/scan.out" 2>&1) &
check "web comes up" wait_until 10 is_up "$S/web"
check "web's log has lines" wait_until 10 \
    eval 'test "$(grep -c item "$S/web/log/main/current" 2>/dev/null)" -ge 12'
check "worker is marked failed" wait_until 20 st_flag "$S/worker" 2
check "backup's supervise runs" wait_until 10 svok "$S/backup"
check "web is ready (its check passed)" wait_until 10 \
    eval 'svstat "$S/web" | grep -q ", ready;"'
check "db's check failed twice, then hangs" wait_until 10 \
    eval 'svstat -j "$S/db" | grep -q "\"checkfailures\":2," &&
    test "$(cat "$S/db/count")" = 4'
check "api is starting" wait_until 10 \
    eval 'svstat "$S/api" | grep -q ", starting"'
SVCS="api backup db web worker"

# start_web NAME ARG...: svweb ARG... on a free port in $PORT; it logs to
# $T/NAME.err, its pid in $WPID. A port taken meanwhile: try another.
start_web() {
	_n=$1
	shift
	for _try in 1 2 3; do
		PORT=$($W port)
		(cd "$T" && exec svweb -l "127.0.0.1:$PORT" "$@" \
		    2>"$T/$_n.err") &
		WPID=$!
		wait_until 5 eval '$W get $PORT /metrics >/dev/null 2>&1' &&
		    return 0
		kill "$WPID" 2>/dev/null
	done
	return 1
}
echo s3cret-token-for-tests >"$T/token"
check "svweb answers on a loopback port" start_web web -c "$T/token" sv
check_eq "no warning for a loopback address" "" "$(cat "$T/web.err")"
fds() { ls "/proc/$WPID/fd" | wc -l; }
FD0=$(fds)

# --- /status.json is svstat -j
$W get "$PORT" /status.json >"$T/status.json"
(cd "$S" && svstat -j $SVCS) >"$T/svstat.j"
check_eq "/status.json equals svstat -j (seconds within 1)" same \
    "$($W compare "$T/status.json" "$T/svstat.j")"
check "/status.json: web up and ready, its logger too" \
    grep -q '"dir":"web","state":"up",.*"ready":true,.*"log":{"state":"up"' \
    "$T/status.json"
check "/status.json: db's streak 2 of 5, its two bad config files" \
    grep -q '"dir":"db",.*"configerrors":\["timeout-kill","restart"\],.*"checkfailures":2,"checklimit":5,' \
    "$T/status.json"
check "/status.json: web essential, api starting" eval \
    'grep -q "\"dir\":\"web\",.*\"essential\":true," "$T/status.json" &&
    grep -q "\"dir\":\"api\",\"state\":\"up\",.*\"ready\":false," \
    "$T/status.json"'

# --- /metrics
$W get "$PORT" /metrics >"$T/metrics"
(cd "$S" && svstat -j $SVCS) >"$T/svstat.j"
check_eq "/metrics values equal svstat's and history's" agree \
    "$($W metrics "$T/metrics" "$T/svstat.j" "$S")"
check "/metrics: HELP and TYPE for each family" \
    test "$(grep -c '^# HELP tend_service_' "$T/metrics"):$(grep -c \
    '^# TYPE tend_service_' "$T/metrics")" = 11:11
check_eq "worker: failed, exit 3, one restart" \
"tend_service_failed{service=\"worker\"} 1
tend_service_last_exit_code{service=\"worker\"} 3
tend_service_restarts_last_hour{service=\"worker\"} 1" \
    "$(grep 'service="worker"' "$T/metrics" | grep -e failed -e exit \
    -e restarts)"
check_eq "db: check failing 2 of 5, two bad config files, not essential" \
"tend_service_essential{service=\"db\"} 0
tend_service_check_failures{service=\"db\"} 2
tend_service_check_failures_limit{service=\"db\"} 5
tend_service_config_errors{service=\"db\"} 2" \
    "$(grep 'service="db"' "$T/metrics" | grep -e essential -e check_ \
    -e config_)"
check_eq "web: essential" 'tend_service_essential{service="web"} 1' \
    "$(grep 'essential{service="web"}' "$T/metrics")"
if command -v promtool >/dev/null 2>&1; then
	check "promtool check metrics accepts /metrics" \
	    eval 'promtool check metrics <"$T/metrics" >"$T/prom.out" 2>&1'
else
	skip "promtool check metrics" \
	    "promtool not installed: apt-get install prometheus"
fi

# --- one service, its log
$W get "$PORT" /service/web >"$T/one.html"
check "/service/web: status line, history, escaped log lines" eval \
    'grep -q "web: up (pid" "$T/one.html" &&
    grep -q " start pid=" "$T/one.html" &&
    grep -q "GET /item/1 200 &lt;ok&gt; &amp; done" "$T/one.html"'
check_eq "/service/web/log: the last 10 lines" 10 \
    "$($W get "$PORT" /service/web/log | wc -l)"
$W get "$PORT" /service/db >"$T/db.html"
check "/service/db: health box, bad values, last check output" eval \
    'grep -q "check failures: 2 in a row (restart at 5)" "$T/db.html" &&
    grep -q "bad config:     timeout-kill \"abc\", restart \"sometimes\"" \
    "$T/db.html" &&
    grep -q "Last check output</h2><pre class=\"box\">db: connection &lt;refused&gt;" \
    "$T/db.html"'
$W get "$PORT" /service/api >"$T/api.html"
check "/service/api: starting, its check's output" eval \
    'grep -q "readiness:      starting" "$T/api.html" &&
    grep -q "<pre class=\"box\">api: not yet" "$T/api.html"'
check "/service/worker: its history shows the exits" eval \
    '$W get "$PORT" /service/worker | grep -q "exit pid=[0-9]* code=3"'
check_eq "HEAD: no body" "200" "$($W code "$PORT" \
    'HEAD /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')"

# --- bad requests, each answered and closed, the next one served
good() { $W get "$PORT" /metrics >/dev/null; }
bad() {
	check_eq "$1: $2" "$2" "$($W code "$PORT" "$3")"
	check "$1: the next request is served" good
}
$W slow "$PORT" >"$T/slow" &
SLOW=$!
bad "GET /../../etc/passwd" "400 closed" \
    'GET /../../etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n'
bad "GET /%2e%2e/%2e%2e/etc/passwd" "400 closed" \
    'GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n'
bad "GET /service/%2e%2e%2fetc" "400 closed" \
    'GET /service/%2e%2e%2fetc HTTP/1.1\r\nHost: t\r\n\r\n'
bad "NUL in the path" "400 closed" \
    'GET /service/web\x00/etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n'
bad "%00 in the path" "400 closed" \
    'GET /service/web%00 HTTP/1.1\r\nHost: t\r\n\r\n'
bad "a service that is not there" "404 closed" \
    'GET /service/passwd HTTP/1.1\r\nHost: t\r\n\r\n'
bad "an unknown path" "404 closed" \
    'GET /etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n'
bad "garbage" "400 closed" 'hello\r\n\r\n'
bad "HTTP/1.1 without Host" "400 closed" 'GET / HTTP/1.1\r\n\r\n'
bad "HTTP/2.0" "505 closed" 'GET / HTTP/2.0\r\n\r\n'
bad "DELETE" "405 closed" 'DELETE / HTTP/1.1\r\nHost: t\r\n\r\n'
bad "POST to /metrics" "405 closed" \
    'POST /metrics HTTP/1.1\r\nHost: t\r\n\r\n'
bad "POST without a token" "401 closed" \
    'POST /service/backup/u HTTP/1.1\r\nHost: t\r\n\r\n'
bad "POST with a wrong token" "403 closed" \
    'POST /service/backup/u HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer s3cret-token-for-test\r\n\r\n'
bad "POST of an unknown letter" "404 closed" \
    'POST /service/backup/z HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer s3cret-token-for-tests\r\n\r\n'
bad "a body past 1 KiB" "413 closed" \
    'POST /service/backup/u HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n'
bad "Transfer-Encoding" "501 closed" \
    'POST /service/backup/u HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n'
BIG=$(head -c 102400 /dev/zero | tr '\0' x)
bad "a 100 KiB header" "431 closed" \
    "GET /metrics HTTP/1.1\\r\\nHost: t\\r\\nX-Big: $BIG\\r\\n\\r\\n"
bad "a 9 KiB request line" "414 closed" \
    "GET /$(echo "$BIG" | head -c 9000) HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n"
check "the slow client is done within 15 s" wait_until 15 \
    eval '! kill -0 $SLOW 2>/dev/null'
set -- $(cat "$T/slow")
check_eq "one byte a second: 408" 408 "${1:-}"
check "one byte a second: answered after 10 s (${2:-?} s)" \
    test "${2:-0}" -ge 9 -a "${2:-0}" -le 12
check "after the slow client, the next request is served" good

# 64 idle connections hold every slot: 200 more at once get 503 each.
$W flood "$PORT" 64 200 >"$T/flood"
check_eq "200 connections past 64 held: 503 each" "503 200" "$(cat "$T/flood")"
check "after the flood, the next request is served" good
$W flood "$PORT" 0 200 >"$T/flood"
check_eq "200 connections at once: each gets 200 or 503" 200 \
    "$(awk '$1 == 200 || $1 == 503 { n += $2 } END { print n }' "$T/flood")"

check_eq "HTTP/1.1: keep-alive, pipelined, then close" \
    "200 keep-alive / 200 keep-alive / 200 close / eof" \
    "$($W keepalive "$PORT" 1.1)"
check_eq "HTTP/1.0 with Connection: keep-alive" \
    "200 keep-alive / 200 keep-alive / 200 close / eof" \
    "$($W keepalive "$PORT" 1.0)"
check_eq "HTTP/1.0 without keep-alive: closed after the answer" \
    "200" "$($W code "$PORT" 'GET /metrics HTTP/1.0\r\n\r\n')"
check "no descriptor leaked ($FD0 before)" wait_until 5 \
    eval 'test "$(fds)" -eq "$FD0"'

# --- the page in a browser
CHROME=
for c in chromium chromium-browser; do
	command -v "$c" >/dev/null 2>&1 && CHROME=$c && break
done
if [ -n "$CHROME" ]; then
	chrome() {
		HOME=$T timeout 60 "$CHROME" --headless --no-sandbox \
		    --disable-gpu --hide-scrollbars --no-first-run \
		    --user-data-dir="$T/chrome" --virtual-time-budget=3000 "$@" \
		    2>>"$T/chrome.err"
	}
	chrome --dump-dom "http://127.0.0.1:$PORT/" >"$T/dom.html"
	check_eq "Chromium: five service rows" 5 \
	    "$(grep -o '<tr class="svc"' "$T/dom.html" | wc -l)"
	check "Chromium: web ready, backup down, worker failed" eval \
	    'grep -q "data-name=\"web\".*b ready\">ready" "$T/dom.html" &&
	    grep -q "data-name=\"backup\".*b down\">down" "$T/dom.html" &&
	    grep -q "data-name=\"worker\".*b failed\">failed" "$T/dom.html"'
	check "Chromium: the script refreshed the page from /status.json" \
	    grep -q 'id="upd">updated ' "$T/dom.html"
	check "Chromium: db failing 2/5 with bad config, api starting" eval \
	    'grep -q "data-name=\"db\".*b failing\">failing</span><span class=\"note chk\" data-k=\"chk\">check failing 2/5</span><span class=\"note cfg\" data-k=\"cfg\">bad config: timeout-kill, restart<" "$T/dom.html" &&
	    grep -q "data-name=\"api\".*b starting\">starting" "$T/dom.html"'
	check_eq "Chromium: web alone tagged essential" \
	    "data-k=\"ess\">essential<" \
	    "$(grep -o 'data-k="ess">[a-z][a-z]*<' "$T/dom.html")"
	check_eq "Chromium: the summary, as the script counts" \
	    "5 services: 3 up (1 starting, 1 failing), 1 down, 1 failed" \
	    "$(sed -n 's/.*<span id="sum">\([^<]*\)<.*/\1/p' "$T/dom.html")"
	chrome --screenshot="$T/shot.png" --window-size=1000,545 \
	    "http://127.0.0.1:$PORT/#web" >/dev/null
	check "Chromium: a screenshot of the page" test -s "$T/shot.png"
	chrome --screenshot="$T/phone.png" --window-size=390,844 \
	    "http://127.0.0.1:$PORT/" >/dev/null
	check "Chromium: a screenshot at a phone's width" test -s "$T/phone.png"
	if [ -n "${SVWEB_SHOT:-}" ]; then
		cp "$T/shot.png" "$SVWEB_SHOT"
		cp "$T/phone.png" "${SVWEB_SHOT%.png}-phone.png"
	fi
else
	skip "the page in headless Chromium" \
	    "chromium not installed: apt-get install chromium"
fi

# --- control
$W code "$PORT" 'POST /service/backup/u HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer s3cret-token-for-tests\r\nConnection: close\r\n\r\n' \
    >"$T/post"
check_eq "POST /service/backup/u with the token: 200" 200 "$(cat "$T/post")"
check "backup comes up" wait_until 10 is_up "$S/backup"
check "no descriptor leaked after control" wait_until 5 \
    eval 'test "$(fds)" -eq "$FD0"'
kill -TERM "$WPID"
wait "$WPID"
check_eq "TERM: exit 0" 0 "$?"

# --- without -c, no method but GET and HEAD
check "svweb without a token" start_web ro sv
check_eq "no -c: POST with the right token is 405" "405 closed" \
    "$($W code "$PORT" 'POST /service/backup/d HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer s3cret-token-for-tests\r\n\r\n')"
check "backup still up" is_up "$S/backup"
kill -TERM "$WPID"
wait "$WPID"

# --- another address warns (192.0.2.1, TEST-NET-1: the bind then fails,
# so nothing listens beyond loopback)
svweb -l 192.0.2.1:8080 "$S" >"$T/out" 2>&1
check_eq "a non-loopback address: the bind fails, 111" 111 "$?"
check_eq "a non-loopback address: a warning first" \
    "svweb: warning: listening on 192.0.2.1:8080, not a loopback address: whoever reaches it sees every service
svweb: fatal: unable to listen on 192.0.2.1:8080" \
    "$(sed '2s/\(8080\): .*/\1/' "$T/out")"
done_testing

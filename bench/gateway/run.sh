#!/usr/bin/env bash
# Gateway benchmark: one mock upstream with a fixed latency, measured three ways in one run:
#   direct      load generator -> mock upstream
#   nginx       load generator -> nginx proxy_pass -> mock (the floor for a proxy)
#   gateway     load generator -> gateway (consumer key, quotas, metrics on) -> mock
#   bare-ctl    load generator -> BareVertxProxy -> mock: a CONTROL, not a goal target; the
#               smallest proxy on the gateway's Vert.x/JVM stack, so gateway minus bare-ctl is
#               the cost of the gateway's own code and bare-ctl minus direct that of the stack
# for a JSON chat completion and an SSE stream. Prints, side by side, p50/p99 at a fixed rate (hey,
# RATE requests/s; medians of ROUNDS interleaved rounds), the latency each proxy adds over direct
# (the median over rounds of target minus the direct runs just before and after it in that round),
# and max RPS (wrk, closed loop), with the issue's goals marked PASS/MISS.
# Method: the JVMs are warmed until their JIT is quiet (steady state, as a replica that has served
# for a while); by default the load generator and the mock share CPU 0 and the proxy under test has
# CPU 1 (PIN=0 turns that off), so a proxy's figure is not its fight with the load generator.
# Loopback only; every phase is bounded by DURATION. Needs: java 17, wrk, hey, nginx
# (Debian: apt-get install -y wrk hey nginx) and a built jar (mvn -q -DskipTests package).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/gateway/target/gateway.jar"
DURATION="${DURATION:-8}"        # seconds per measurement
RATE="${RATE:-1000}"             # fixed request rate for the latency percentiles
LATENCY_MS="${LATENCY_MS:-20}"   # the mock upstream's fixed latency
CONNECTIONS="${CONNECTIONS:-256}" # wrk connections for max RPS (must exceed RPS x latency)
WARMUP="${WARMUP:-8}"            # seconds of gateway warm-up per kind, run twice
KINDS="${KINDS:-json sse}"       # which request kinds to measure
ROUNDS="${ROUNDS:-5}"            # interleaved latency rounds; the table shows medians
SETTLE_ROUNDS="${SETTLE_ROUNDS:-10}" # at most this many fixed-rate warm-up rounds until the JIT is quiet
# PIN=1 (default): load generator and mock on CPU 0, the proxy under test on CPU 1; PIN=0: no
# pinning, everything shares both CPUs (see common/lib.sh)
PIN="${PIN:-1}"

# shellcheck source=../common/lib.sh
source "$root/bench/common/lib.sh"
require_tools "java:apt-get install -y openjdk-17-jdk-headless" "wrk:apt-get install -y wrk" \
  "hey:apt-get install -y hey" "nginx:apt-get install -y nginx" "curl:apt-get install -y curl"
bench_init
compile_helpers

mock_port="$(free_port)"; nginx_port="$(free_port)"; gw_port="$(free_port)"
start_mock "$mock_port" "$LATENCY_MS"
start_nginx "$nginx_port" "$mock_port"
bare_port="$(free_port)"
start_bg "$work/bare.log" "${on_proxy[@]}" java ${PALISADE_JAVA_OPTS:-} -cp "$(helper_cp)" BareVertxProxy "$bare_port" "$mock_port"
bare_pid=$last_pid

# --- gateway (encrypted key, a consumer with quotas, metrics on) ---------------------------
gateway_secrets m1
cat >"$work/gateway.yaml" <<YAML
server: {host: 127.0.0.1, port: $gw_port, event_loops: $proxy_cpus}
providers:
  - name: mock
    protocol: openai
    base_url: http://127.0.0.1:$mock_port/v1
    keys: [{id: m1, value: "$enc_m1"}]
routes:
  - {match: bench-model, targets: [{provider: mock, model: bench-upstream}]}
consumers:
  - name: bench
    key_sha256: $chash
    models: ["*"]
    limits: {tokens_per_day: 100000000000, requests_per_minute: 10000000}
YAML
start_gateway "$work/gateway.yaml" ${PALISADE_JAVA_OPTS:-}

wait_http "http://127.0.0.1:$gw_port/readyz" "$work/gateway.log"
wait_http "http://127.0.0.1:$mock_port/v1/models" "$work/mock.log"
wait_http "http://127.0.0.1:$nginx_port/v1/models" "$work/nginx/logs/error.log"
wait_http "http://127.0.0.1:$bare_port/v1/models" "$work/bare.log"

printf '{"model":"bench-model","messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}' >"$work/json.body"
printf '{"model":"bench-model","stream":true,"messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}' >"$work/sse.body"

declare -A URL=(
  [direct]="http://127.0.0.1:$mock_port/v1/chat/completions"
  [nginx]="http://127.0.0.1:$nginx_port/v1/chat/completions"
  [gateway]="http://127.0.0.1:$gw_port/v1/chat/completions"
  [bare-ctl]="http://127.0.0.1:$bare_port/v1/chat/completions"
)
AUTH="Bearer $ckey"
# Every target must give a whole answer before it is timed: a 200 with an empty body is fast and
# wrong (the bare control once answered every JSON request that way, and only the body showed it).
check_answer() { # target kind
  local body
  body="$(curl -fsS -H "Authorization: $AUTH" -H 'content-type: application/json' \
    --data-binary "@$work/$2.body" "${URL[$1]}")" || { echo "bench: $1 failed a $2 request" >&2; exit 4; }
  if ! case $2 in json) grep -q '"chat.completion"' ;; *) grep -q '^data: \[DONE\]' ;; esac <<<"$body"; then
    echo "bench: $1 answered a $2 request without a complete body: ${body:0:200}" >&2
    exit 4
  fi
}
for target in "${!URL[@]}"; do
  for kind in $KINDS; do check_answer "$target" "$kind"; done
done

max_rps() { # body url -> "requests/s total_requests"
  BODY_FILE="$1" AUTH="$AUTH" "${on_load[@]}" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s \
    -s "$root/bench/common/post.lua" "$2" 2>&1 |
    awk '/requests in/ {n=$1} /Requests\/sec/ {r=int($2)} /Non-2xx/ {print "bench: " $0 > "/dev/stderr"} END {print r, n}'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user+system clock ticks of a process
fixed_rate() { # body url [seconds] -> "p50_ms p99_ms"
  local workers=50
  local q=$(( RATE / workers ))
  "${on_load[@]}" hey -z "${3:-$DURATION}s" -c "$workers" -q "$q" -m POST -T application/json -H "Authorization: $AUTH" \
    -D "$1" "$2" >"$work/hey.out" 2>&1
  if grep -q '^\s*\[[45][0-9][0-9]\]' "$work/hey.out"; then
    echo "bench: error statuses at fixed rate:" >&2; grep '\[[0-9]*\]' "$work/hey.out" >&2
  fi
  awk '/ 50% in/ {p50=$3*1000} / 99% in/ {p99=$3*1000} END {printf "%.2f %.2f\n", p50, p99}' "$work/hey.out"
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# Warm-up, part 1: the JVM needs tens of thousands of requests before its hot paths are compiled
# (WARMUP seconds of wrk per kind, twice).
for kind in $KINDS $KINDS; do
  for target in gateway bare-ctl; do
    BODY_FILE="$work/$kind.body" AUTH="$AUTH" "${on_load[@]}" wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" \
      -s "$root/bench/common/post.lua" "${URL[$target]}" >/dev/null 2>&1
  done
done
# Part 2: the measured traffic's own shape (hey at the fixed rate), repeated until the JIT is quiet.
# Its client, headers and pacing take paths wrk did not, and C2 keeps compiling for a while after
# wrk stops: measured on one CPU, 17 s of compile time in the first 20 s of 1,000 req/s SSE, with
# C2 taking half the gateway's CPU. A latency taken then measures the compiler, not the gateway;
# production replicas serve for hours, so the goal is about the steady state.
settle() { # target pid -> prints how long the JIT took to go quiet
  local round t0 t1 kind
  for round in $(seq 1 "$SETTLE_ROUNDS"); do
    t0="$(jit_seconds "$2")"
    for kind in $KINDS; do fixed_rate "$work/$kind.body" "${URL[$1]}" 4 >/dev/null; done
    t1="$(jit_seconds "$2")"
    if [[ $t0 == - ]] || awk -v a="$t0" -v b="$t1" 'BEGIN {exit !(b - a < 0.05)}'; then
      echo "$1: JIT quiet (< 0.05 s of compiling in a round) after $round round(s) of fixed-rate warm-up"
      return
    fi
  done
  echo "$1: JIT still compiling after $SETTLE_ROUNDS rounds of fixed-rate warm-up: figures include compile time"
}
settle gateway "$gw_pid"
settle bare-ctl "$bare_pid"

echo "mock latency ${LATENCY_MS} ms, ${DURATION} s per measurement, fixed rate ${RATE} req/s, medians of $ROUNDS interleaved rounds, $(nproc) cores, $( ((${#on_proxy[@]})) && echo "load+mock on CPU 0, proxy on CPU 1" || echo "no CPU pinning"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
targets=(direct nginx gateway bare-ctl)
# Latency first, right after the warm-up, in interleaved rounds so drift on the load side hits every
# target alike; then max RPS (wrk at full speed changes the JIT's profile, so it goes last).
declare -A P50 P99 RPS CPU R50 R99
jit0="$(jit_compiles "$gw_pid")"; jits0="$(jit_seconds "$gw_pid")"
# Added latency is paired: in each round, direct runs first and last, and a proxy's figure is its
# value minus the mean of those two direct runs. Load on the machine drifts over minutes (seen:
# nginx's per-round p50 moving by 1.5 ms between rounds); the pairing cancels most of it, and the
# median over rounds drops the round a hiccup landed in.
declare -A A50 A99
for round in $(seq 1 "$ROUNDS"); do
  for kind in $KINDS; do
    for target in direct nginx gateway bare-ctl direct; do
      read -r p50 p99 < <(fixed_rate "$work/$kind.body" "${URL[$target]}")
      P50[$kind,$target]+=" $p50"; P99[$kind,$target]+=" $p99"
      if [[ $target == direct && -n "${first50:-}" ]]; then
        for t in nginx gateway bare-ctl; do
          A50[$kind,$t]+=" $(awk -v a="${R50[$t]}" -v b="$first50" -v c="$p50" 'BEGIN {printf "%.2f", a - (b + c) / 2}')"
          A99[$kind,$t]+=" $(awk -v a="${R99[$t]}" -v b="$first99" -v c="$p99" 'BEGIN {printf "%.2f", a - (b + c) / 2}')"
        done
        first50=""
      elif [[ $target == direct ]]; then
        first50="$p50"; first99="$p99"
      else
        R50[$target]="$p50"; R99[$target]="$p99"
      fi
    done
  done
done
jit_during="$(jit_delta "$jit0" "$(jit_compiles "$gw_pid")")"
jits_during="$(awk -v a="$jits0" -v b="$(jit_seconds "$gw_pid")" 'BEGIN {if (a == "-" || b == "-") print "-"; else printf "%.2f", b - a}')"
for kind in $KINDS; do
  for target in "${targets[@]}"; do
    t0="$(cpu_ticks "$gw_pid")"
    read -r RPS[$kind,$target] total < <(max_rps "$work/$kind.body" "${URL[$target]}")
    if [[ $target == gateway ]]; then
      # CPU the gateway spent per request: independent of what else runs on the machine.
      CPU[$kind]="$(awk -v t="$(( $(cpu_ticks "$gw_pid") - t0 ))" -v hz="$(getconf CLK_TCK)" -v n="$total" 'BEGIN {printf "%.0f", t / hz * 1e6 / n}')"
    fi
  done
done

printf '\n%-5s %-8s %10s %10s %10s %12s %12s\n' kind target max_rps p50_ms p99_ms added_p50 added_p99
for kind in $KINDS; do
  for target in "${targets[@]}"; do
    # shellcheck disable=SC2086 # the values are space-separated numbers
    p50="$(median ${P50[$kind,$target]})"; p99="$(median ${P99[$kind,$target]})"
    added50="-"; added99="-"
    if [[ $target != direct ]]; then
      # shellcheck disable=SC2086
      added50="$(printf '%+.2f' "$(median ${A50[$kind,$target]})")"; added99="$(printf '%+.2f' "$(median ${A99[$kind,$target]})")"
    fi
    printf '%-5s %-8s %10s %10s %10s %12s %12s\n' "$kind" "$target" "${RPS[$kind,$target]}" "$p50" "$p99" "$added50" "$added99"
    [[ $target == gateway ]] && { g50="$added50"; g99="$added99"; }
  done
  ratio="$(awk -v g="${RPS[$kind,gateway]}" -v n="${RPS[$kind,nginx]}" 'BEGIN {printf "%.2f", g/n}')"
  verdict() { awk -v v="$1" -v lim="$2" 'BEGIN {print (v + 0 <= lim ? "PASS" : "MISS")}'; }
  echo "$kind: goals at ${RATE} req/s: added p50 $g50 ms <= 0.5 $(verdict "$g50" 0.5); added p99 $g99 ms <= 3 $(verdict "$g99" 3); max RPS $ratio x nginx >= 0.5 $(awk -v r="$ratio" 'BEGIN {print (r >= 0.5 ? "PASS" : "MISS")}')"
  echo "$kind: added p50 per round, gateway:${A50[$kind,gateway]}; nginx:${A50[$kind,nginx]}; bare-ctl:${A50[$kind,bare-ctl]}"
  echo "$kind: added p99 per round, gateway:${A99[$kind,gateway]}; nginx:${A99[$kind,nginx]}"
  echo "$kind: gateway CPU per request at max RPS (user+system): ${CPU[$kind]} us"
done
echo "JIT in the gateway during all latency rounds: $jit_during compilations, $jits_during s compiling (a few and ~0: steady state)"
metrics="$(curl -fsS "http://127.0.0.1:$gw_port/metrics")"
errors="$(awk '/^gateway_requests_total/ && !/status="200"/ && !/status="499"/ {s+=$NF} END {print s+0}' <<<"$metrics")"
left="$(awk '/^gateway_requests_total/ && /status="499"/ {s+=$NF} END {print s+0}' <<<"$metrics")"
echo "gateway error responses during the run: $errors (plus $left requests cut off when a load generator stopped: status 499)"

#!/usr/bin/env bash
# Gateway benchmark: one mock upstream with a fixed latency, measured three ways in one run:
#   direct      load generator -> mock upstream
#   nginx       load generator -> nginx proxy_pass -> mock (the floor for a proxy)
#   gateway     load generator -> gateway (consumer key, quotas, metrics on) -> mock
#   bare-ctl    load generator -> BareVertxProxy -> mock: a CONTROL, not a goal target; the
#               smallest proxy on the gateway's Vert.x/JVM stack, so gateway minus bare-ctl is
#               the cost of the gateway's own code and bare-ctl minus direct that of the stack
# for a JSON chat completion and an SSE stream. Prints, side by side, max RPS (wrk, closed loop)
# and p50/p99 at a fixed rate (hey, RATE requests/s), and the latency each proxy adds over direct.
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
start_bg "$work/bare.log" java ${PALISADE_JAVA_OPTS:-} -cp "$(helper_cp)" BareVertxProxy "$bare_port" "$mock_port"

# --- gateway (encrypted key, a consumer with quotas, metrics on) ---------------------------
gateway_secrets m1
cat >"$work/gateway.yaml" <<YAML
server: {host: 127.0.0.1, port: $gw_port, event_loops: 2}
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

max_rps() { # body url -> "requests/s total_requests"
  BODY_FILE="$1" AUTH="$AUTH" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s \
    -s "$root/bench/common/post.lua" "$2" 2>&1 |
    awk '/requests in/ {n=$1} /Requests\/sec/ {r=int($2)} /Non-2xx/ {print "bench: " $0 > "/dev/stderr"} END {print r, n}'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user+system clock ticks of a process
fixed_rate() { # body url -> "p50_ms p99_ms"
  local workers=50
  local q=$(( RATE / workers ))
  hey -z "${DURATION}s" -c "$workers" -q "$q" -m POST -T application/json -H "Authorization: $AUTH" \
    -D "$1" "$2" >"$work/hey.out" 2>&1
  if grep -q '^\s*\[[45][0-9][0-9]\]' "$work/hey.out"; then
    echo "bench: error statuses at fixed rate:" >&2; grep '\[[0-9]*\]' "$work/hey.out" >&2
  fi
  awk '/ 50% in/ {p50=$3*1000} / 99% in/ {p99=$3*1000} END {printf "%.2f %.2f\n", p50, p99}' "$work/hey.out"
}

# Warm up the JIT of the gateway (and nginx/mock) before measuring: the JVM needs tens of
# thousands of requests before its hot paths are compiled (WARMUP seconds per kind, twice).
for kind in json sse json sse; do
  for target in gateway bare-ctl; do
    BODY_FILE="$work/$kind.body" AUTH="$AUTH" wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" \
      -s "$root/bench/common/post.lua" "${URL[$target]}" >/dev/null 2>&1
  done
done
# Then the measured traffic's own shape (hey at the fixed rate): its client, headers and pacing take
# code paths wrk did not, and the JIT compiles those on first sight (seen: over a thousand
# compilations in the first seconds of the fixed-rate phase, on the same 2 cores as the load).
for kind in json sse; do
  for target in gateway bare-ctl; do
    fixed_rate "$work/$kind.body" "${URL[$target]}" >/dev/null
  done
done

echo "mock latency ${LATENCY_MS} ms, ${DURATION} s per measurement, fixed rate ${RATE} req/s, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n%-5s %-8s %10s %10s %10s %12s %12s\n' kind target max_rps p50_ms p99_ms added_p50 added_p99
for kind in json sse; do
  declare -A P50 P99 RPS
  for target in direct nginx gateway bare-ctl; do
    t0="$(cpu_ticks "$gw_pid")"
    read -r RPS[$target] total < <(max_rps "$work/$kind.body" "${URL[$target]}")
    if [[ $target == gateway ]]; then
      # CPU the gateway spent per request: independent of what else runs on the machine.
      cpu_us="$(awk -v t="$(( $(cpu_ticks "$gw_pid") - t0 ))" -v hz="$(getconf CLK_TCK)" -v n="$total" 'BEGIN {printf "%.0f", t / hz * 1e6 / n}')"
    fi
    if [[ $target == gateway ]]; then jit0="$(jit_compiles "$gw_pid")"; fi
    read -r P50[$target] P99[$target] < <(fixed_rate "$work/$kind.body" "${URL[$target]}")
    if [[ $target == gateway ]]; then jit_during="$(jit_delta "$jit0" "$(jit_compiles "$gw_pid")")"; fi
  done
  for target in direct nginx gateway bare-ctl; do
    added50="-"; added99="-"
    if [[ $target != direct ]]; then
      added50="$(awk -v a="${P50[$target]}" -v b="${P50[direct]}" 'BEGIN {printf "%+.2f", a-b}')"
      added99="$(awk -v a="${P99[$target]}" -v b="${P99[direct]}" 'BEGIN {printf "%+.2f", a-b}')"
    fi
    printf '%-5s %-8s %10s %10s %10s %12s %12s\n' "$kind" "$target" "${RPS[$target]}" "${P50[$target]}" "${P99[$target]}" "$added50" "$added99"
  done
  ratio="$(awk -v g="${RPS[gateway]}" -v n="${RPS[nginx]}" 'BEGIN {printf "%.2f", g/n}')"
  echo "$kind: gateway max RPS / nginx max RPS = $ratio (goal >= 0.50); goals at ${RATE} req/s: added p50 <= 0.5 ms, p99 <= 3 ms"
  echo "$kind: gateway CPU per request (user+system, both event loops): ${cpu_us} us"
  echo "$kind: JIT compilations in the gateway during its fixed-rate measurement: ${jit_during} (0 or a few: steady state)"
  unset P50 P99 RPS
done
metrics="$(curl -fsS "http://127.0.0.1:$gw_port/metrics")"
errors="$(awk '/^gateway_requests_total/ && !/status="200"/ && !/status="499"/ {s+=$NF} END {print s+0}' <<<"$metrics")"
left="$(awk '/^gateway_requests_total/ && /status="499"/ {s+=$NF} END {print s+0}' <<<"$metrics")"
echo "gateway error responses during the run: $errors (plus $left requests cut off when a load generator stopped: status 499)"

# Shared helpers for the gateway benchmarks (sourced by bench/gateway/run.sh and
# bench/gateway-prod/run.sh). Everything listens on 127.0.0.1 on a free port; every process started
# through start_bg is stopped by the EXIT trap that bench_init installs, and the temp dir removed.
# Expects: root (the repository), jar (gateway/target/gateway.jar).

bench_pids=()
bench_init() { # -> sets work (a temp dir) and the EXIT trap
  work="$(mktemp -d)"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}
bench_cleanup() {
  local p
  for p in "${bench_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${bench_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [[ -n "${KEEP_WORK:-}" ]] && { echo "bench: kept $work" >&2; return; }
  rm -rf "$work"
}
# CPU placement (PIN=1, the default of bench/gateway): the load generator and the mock upstream on
# CPU 0, the proxy under test (nginx, the gateway, the control) on CPU 1, as in production, where
# clients and providers are other machines. Every target gets the same placement. PIN=0 (the
# default here) lets the kernel place everything.
if [[ "${PIN:-0}" == 1 && "$(nproc)" -ge 2 ]] && command -v taskset >/dev/null; then
  on_load=(taskset -c 0); on_proxy=(taskset -c 1); proxy_cpus=1
else
  on_load=(); on_proxy=(); proxy_cpus="$(nproc)"
fi
start_bg() { # log_file command... -> runs it in the background, remembers its pid in $last_pid
  local log="$1"; shift
  "$@" >"$log" 2>&1 &
  last_pid=$!
  bench_pids+=("$last_pid")
}
stop_pid() { # pid: stop one process the bench started, and forget it
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local keep=() p
  for p in "${bench_pids[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  bench_pids=("${keep[@]}")
}

require_tools() { # "command:how to install" ...
  local need missing=0
  for need in "$@"; do
    command -v "${need%%:*}" >/dev/null || { echo "bench: '${need%%:*}' not found; run: ${need#*:}" >&2; missing=1; }
  done
  [[ -f "$jar" ]] || { echo "bench: $jar missing; run: (cd $root && mvn -q -B -o -pl gateway -am package -DskipTests)" >&2; missing=1; }
  (( missing == 0 )) || exit 3
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # url [log file to show on failure]
  local _
  for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "bench: $1 did not come up" >&2
  [[ -n "${2:-}" && -f "$2" ]] && tail -n 20 "$2" >&2
  exit 4
}

# Compiles the Java helpers once (MockUpstream, OpenLoad, BareVertxProxy) against the Vert.x inside the gateway jar.
compile_helpers() {
  mkdir -p "$work/classes"
  javac -nowarn -cp "$jar" -d "$work/classes" "$root/bench/common/MockUpstream.java" "$root/bench/common/OpenLoad.java" \
    "$root/bench/common/BareVertxProxy.java"
}
helper_cp() { echo "$jar:$work/classes"; }

start_mock() { # port latency_ms [more ports]
  start_bg "$work/mock.log" "${on_load[@]}" java -Xmx256m -cp "$(helper_cp)" MockUpstream "$@"
  mock_pid=$last_pid
}
open_load() { # OpenLoad arguments...
  java -Xmx512m -cp "$(helper_cp)" OpenLoad "$@"
}

start_nginx() { # port upstream_port
  mkdir -p "$work/nginx/logs"
  cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes $proxy_cpus;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  upstream mock { server 127.0.0.1:$2; keepalive 256; }
  server {
    listen 127.0.0.1:$1;
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
NGINX
  start_bg "$work/nginx/stdout.log" "${on_proxy[@]}" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
  nginx_pid=$last_pid
}

# A master key, one encrypted provider key per name given, and a consumer key with its hash:
# sets master, ckey, chash and enc_<name> for each name.
gateway_secrets() { # key names...
  local consumer name
  master="$(java -jar "$jar" secrets generate-master-key --id bench)"
  for name in "$@"; do
    printf -v "enc_$name" '%s' "$(printf 'sk-bench-%s' "$name" | PALISADE_GATEWAY_MASTER_KEY="$master" java -jar "$jar" secrets encrypt)"
  done
  consumer="$(java -jar "$jar" consumer-key)"
  ckey="$(sed -n 's/^key: *//p' <<<"$consumer")"
  chash="$(sed -n 's/^key_sha256: *//p' <<<"$consumer")"
}
start_gateway() { # config_file [java options...]: checks the config first so a bad one fails clearly
  local config="$1"; shift
  if ! PALISADE_GATEWAY_MASTER_KEY="$master" java -jar "$jar" config check "$config" >"$work/config-check.log" 2>&1; then
    echo "bench: the gateway refused the bench config:" >&2; cat "$work/config-check.log" >&2
    return 3
  fi
  export PALISADE_GATEWAY_MASTER_KEY="$master" # the environment, never argv
  start_bg "$work/gateway.log" "${on_proxy[@]}" java "$@" -jar "$jar" serve --config "$config"
  gw_pid=$last_pid
}

# JIT compilations the HotSpot JVM of a pid has done so far (jstat -compiler), or "-" when jstat
# cannot tell. Printed around the gateway's measurements, so a figure taken while the JIT was
# still compiling the hot paths shows up as such instead of passing for steady state.
jit_compiles() { jstat -compiler "$1" 2>/dev/null | awk 'NR == 2 {print $1 + 0; found = 1} END {if (!found) print "-"}'; }
jit_seconds() { jstat -compiler "$1" 2>/dev/null | awk 'NR == 2 {print $4 + 0; found = 1} END {if (!found) print "-"}'; }
jit_delta() { # before after
  if [[ $1 == - || $2 == - ]]; then echo "-"; else echo $(( $2 - $1 )); fi
}

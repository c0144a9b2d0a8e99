#!/usr/bin/env bash
# Runs the gateway image release-tool built and checks that it serves: the image's own entrypoint
# and user, from its own root filesystem, with nothing from the host but the kernel, /dev and the
# loopback network.
#   1. umoci (not our code) unpacks the OCI layout into a runtime bundle: rootfs + config.json,
#   2. a minimal gateway config is written into the rootfs (127.0.0.1, a free port; one provider
#      nobody calls, so the start needs no network),
#   3. the image's Entrypoint + "serve --config ... --allow-plaintext-secrets" start in a private
#      PID and mount namespace (unshare), rooted in the rootfs (nsenter --root) in the image's
#      WorkingDir, as the image's user, with the image's environment only,
#   4. curl GETs /healthz and /readyz (200 and their JSON bodies), then the gateway is stopped with
#      SIGTERM and must exit.
# Any step failing (unpack, start, a wrong answer, no answer within the timeout) exits non-zero
# with the gateway's output. Needs root (changing root, namespaces): CI runs as root; elsewhere use sudo.
# Usage: release/run-image.sh [oci:]DIR[:TAG]   (default target/release/image; TAG: the layout's one ref)
set -euo pipefail
export LC_ALL=C
ref="${1:-target/release/image}"
ref="${ref#oci:}"
layout="${ref%%:*}"
tag=""
[[ "$ref" == *:* ]] && tag="${ref#*:}"
timeout_s="${RUN_IMAGE_TIMEOUT:-90}"

die() { echo "run-image: $*" >&2; exit 1; }
[[ "$(id -u)" == 0 ]] || die "needs root (changing root, namespaces); run it with sudo"
for need in umoci:umoci curl:curl python3:python3 unshare:util-linux nsenter:util-linux; do
  command -v "${need%%:*}" >/dev/null || die "${need%%:*} not found: apt-get install -y ${need#*:}"
done
[[ -f "$layout/index.json" ]] || die "$layout is not an OCI layout (no index.json)"
if [[ -z "$tag" ]]; then
  tag="$(python3 - "$layout/index.json" <<'PY'
import json, sys
refs = [m.get("annotations", {}).get("org.opencontainers.image.ref.name")
        for m in json.load(open(sys.argv[1])).get("manifests", [])]
refs = [r for r in refs if r]
if len(refs) != 1:
    sys.exit("run-image: %s names %d images (%s); pass DIR:TAG" % (sys.argv[1], len(refs), ", ".join(refs)))
print(refs[0])
PY
)"
fi

work="$(mktemp -d /tmp/run-image.XXXXXX)"
gateway_pid=""
cleanup() {
  if [[ -n "$gateway_pid" ]] && kill -0 "$gateway_pid" 2>/dev/null; then
    kill -KILL "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== unpacking $layout:$tag with umoci"
umoci unpack --image "$layout:$tag" "$work/bundle" >/dev/null
rootfs="$work/bundle/rootfs"

# The runtime spec umoci derived from the image config: argv, environment, user, working dir.
python3 - "$work/bundle/config.json" "$work" <<'PY'
import json, shlex, sys
process = json.load(open(sys.argv[1]))["process"]
out = sys.argv[2]
open(out + "/args", "w").write("\0".join(process["args"]) + "\0")
open(out + "/env", "w").write("\0".join(process.get("env", [])) + "\0")
user = process.get("user", {})
open(out + "/user", "w").write("%d:%d" % (user.get("uid", 0), user.get("gid", 0)))
open(out + "/cwd", "w").write(process.get("cwd", "/"))
PY
user="$(cat "$work/user")"
[[ "${user%%:*}" != 0 ]] || die "the image runs as root (uid 0); it must name a non-root user"
mapfile -d '' -t image_args < "$work/args"
mapfile -d '' -t image_env < "$work/env"
# The entrypoint is everything before the image's default arguments ("serve --config ...").
entrypoint=()
for a in "${image_args[@]}"; do
  [[ "$a" == serve ]] && break
  entrypoint+=("$a")
done
[[ ${#entrypoint[@]} -gt 0 && ${#entrypoint[@]} -lt ${#image_args[@]} ]] \
  || die "cannot find the gateway's 'serve' command in the image's Entrypoint+Cmd: ${image_args[*]}"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$rootfs/etc/palisade" "$rootfs/proc" "$rootfs/dev" "$rootfs/tmp"
cat > "$rootfs/etc/palisade/gateway.yaml" <<EOF
server: {host: 127.0.0.1, port: $port, event_loops: 1}
providers:
  - name: unused
    protocol: openai
    base_url: http://127.0.0.1:9/v1
    keys: [{id: k1, value: "sk-image-check-not-a-secret"}]
routes:
  - {match: "*", targets: [{provider: unused}]}
consumers:
  - {name: check, key_sha256: $(printf 'b%.0s' {1..64}), models: ["*"]}
EOF
chmod 0644 "$rootfs/etc/palisade/gateway.yaml"

echo "== starting ${entrypoint[*]} serve as $user in the unpacked rootfs (127.0.0.1:$port)"
started=$(date +%s%N)
# Private mount and PID namespaces: /proc, /dev and a tmpfs /tmp are mounted for the gateway only
# and vanish with it; killing unshare (--kill-child) takes the gateway down with it.
# Host tools by absolute path: the environment is the image's, its PATH is for inside the rootfs.
# nsenter (not chroot) because it also enters the image's WorkingDir (opened before the root changes)
# and sets the user and group (dropping supplementary groups) without a shell in the image.
env -i "${image_env[@]}" "$(command -v unshare)" --mount --propagation private --pid --fork --kill-child=SIGTERM \
  /bin/sh -c 'set -e; mount="$1"; nsenter="$2"; r="$3"; cwd="$4"; uid="$5"; gid="$6"; shift 6
    "$mount" -t proc proc "$r/proc"; "$mount" --bind /dev "$r/dev"; "$mount" -t tmpfs -o mode=1777 tmpfs "$r/tmp"
    exec "$nsenter" --root="$r" --wd="$r$cwd" --setuid="$uid" --setgid="$gid" -- "$@"' \
  sh "$(command -v mount)" "$(command -v nsenter)" "$rootfs" "$(cat "$work/cwd")" "${user%%:*}" "${user#*:}" \
  "${entrypoint[@]}" \
  serve --config /etc/palisade/gateway.yaml --allow-plaintext-secrets > "$work/gateway.log" 2>&1 &
gateway_pid=$!

fail() {
  echo "run-image: $*" >&2
  echo "---- gateway output" >&2
  cat "$work/gateway.log" >&2
  exit 1
}
deadline=$(( $(date +%s) + timeout_s ))
until curl -fsS --max-time 2 -o "$work/healthz" "http://127.0.0.1:$port/healthz" 2>/dev/null; do
  kill -0 "$gateway_pid" 2>/dev/null || { wait "$gateway_pid" && rc=0 || rc=$?; fail "the gateway exited ($rc) before answering /healthz"; }
  [[ $(date +%s) -lt $deadline ]] || fail "no answer on /healthz within ${timeout_s}s"
  sleep 0.2
done
up_ms=$(( ($(date +%s%N) - started) / 1000000 ))
healthz="$(cat "$work/healthz")"
[[ "$healthz" == '{"status":"ok"}' ]] || fail "/healthz answered $healthz"
readyz_code="$(curl -sS --max-time 5 -o "$work/readyz" -w '%{http_code}' "http://127.0.0.1:$port/readyz")"
readyz="$(cat "$work/readyz")"
[[ "$readyz_code" == 200 && "$readyz" == '{"status":"ready"}' ]] || fail "/readyz answered $readyz_code $readyz"
echo "GET /healthz -> 200 $healthz (${up_ms} ms after start)"
echo "GET /readyz  -> 200 $readyz"

# unshare --fork ignores SIGTERM itself: signal its child, the gateway (PID 1 of its namespace).
gateway_child="$(cat "/proc/$gateway_pid/task/$gateway_pid/children" 2>/dev/null || true)"
[[ -n "$gateway_child" ]] || fail "cannot find the gateway process under unshare ($gateway_pid)"
stop_started=$(date +%s%N)
kill -TERM $gateway_child
for _ in $(seq 1 100); do
  kill -0 "$gateway_pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$gateway_pid" 2>/dev/null && fail "the gateway did not stop within 10 s of SIGTERM"
wait "$gateway_pid" && stop_rc=0 || stop_rc=$?
gateway_pid=""
echo "SIGTERM      -> exited $stop_rc after $(( ($(date +%s%N) - stop_started) / 1000000 )) ms"
echo "image runs: $layout:$tag (entrypoint ${entrypoint[0]}, user $user)"

#!/usr/bin/env bash
# Cold-start cost of `scanner verify` (issue 6 goal: median < 1.5 s): an OCI layout holding one
# small image with an image signature and two attestations (CycloneDX SBOM, SLSA provenance),
# signed with a fresh key through the signing library (SignLayout.java), verified offline with
# --require-attestation sbom --require-attestation provenance, each run a new JVM (bin/scanner's
# JVM options). Prints every run, the median, and the same with an AppCDS archive
# (-XX:ArchiveClassesAtExit once, then -XX:SharedArchiveFile) side by side.
# Usage: bench/verify/run.sh [RUNS]   (default 10; builds scanner.jar if it is missing)
# Needs: java 17, tar, gzip, sha256sum, python3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-10}"
goal_ms=1500
jar="$root/scanner/target/scanner.jar"
# bin/scanner's default JVM options, read from it so the figures are what users get.
read -r -a java_opts <<<"$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' "$root/bin/scanner")"
[[ ${#java_opts[@]} -gt 0 ]] || { echo "bench: no default_java_opts line in $root/bin/scanner" >&2; exit 3; }
for tool in java tar gzip sha256sum python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 3; }
done
if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -q -B -DskipTests package -pl scanner -am)
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/palisade-verify-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# 1. A one-layer OCI layout, written by hand (no umoci needed).
layout="$work/layout"
mkdir -p "$layout/blobs/sha256" "$work/rootfs/srv"
echo "bench image" >"$work/rootfs/srv/app.txt"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/rootfs" -cf "$work/layer.tar" srv
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
gzip -n -c "$work/layer.tar" >"$work/layer.tar.gz"
put() { local d; d=$(sha256sum "$1" | cut -d' ' -f1); cp "$1" "$layout/blobs/sha256/$d"; echo "$d"; }
layer=$(put "$work/layer.tar.gz"); layer_size=$(stat -c %s "$work/layer.tar.gz")
printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$diff_id" >"$work/config.json"
config=$(put "$work/config.json"); config_size=$(stat -c %s "$work/config.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
  "$config" "$config_size" "$layer" "$layer_size" >"$work/manifest.json"
manifest=$(put "$work/manifest.json"); manifest_size=$(stat -c %s "$work/manifest.json")
echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"1.0"}}]}' \
  "$manifest" "$manifest_size" >"$layout/index.json"

# 2. Key pair, signature, two attestations (the signing library, from the scanner jar).
pub=$(java -cp "$jar" "$root/bench/verify/SignLayout.java" "$layout" "$work")
args=(verify "oci:$layout:1.0" --key "$pub" --require-attestation sbom --require-attestation provenance)
java "${java_opts[@]}" -jar "$jar" "${args[@]}" >"$work/check.out" 2>&1 \
  || { echo "bench: verify failed on the bench layout:"; cat "$work/check.out"; exit 1; }
grep -c 'attestation:' "$work/check.out" | grep -qx 2 || { echo "bench: expected two attestations:"; cat "$work/check.out"; exit 1; }

# 3. Timed runs, each a cold JVM.
time_runs() {   # label, extra JVM options...
  local label="$1"; shift
  local times=()
  for ((i = 1; i <= runs; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    java "${java_opts[@]}" "$@" -jar "$jar" "${args[@]}" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  python3 - "$label" "$goal_ms" "${times[@]}" <<'PY'
import statistics, sys
label, goal, times = sys.argv[1], int(sys.argv[2]), [int(t) for t in sys.argv[3:]]
median = statistics.median(times)
verdict = "meets" if median < goal else "MISSES"
print(f"{label:<10} runs (ms): {' '.join(map(str, times))}")
print(f"{label:<10} median {median:.0f} ms, min {min(times)} ms, max {max(times)} ms: {verdict} the goal (median < {goal} ms)")
PY
}
echo "scanner verify, image signature + 2 attestations, OCI layout, $runs cold JVMs ($(java -version 2>&1 | head -1); $(nproc) CPUs)"
time_runs "plain"
jsa="$work/scanner-verify.jsa"
java "${java_opts[@]}" -XX:ArchiveClassesAtExit="$jsa" -jar "$jar" "${args[@]}" >/dev/null 2>"$work/cds.log" \
  || { echo "bench: CDS dump run failed:"; tail "$work/cds.log"; exit 1; }
if [[ -f "$jsa" ]]; then
  time_runs "AppCDS" -XX:SharedArchiveFile="$jsa"
  echo "AppCDS archive: $(( $(stat -c %s "$jsa") / 1024 / 1024 )) MiB (dynamic archive from one verify run)"
else
  echo "AppCDS: no archive written (see $work/cds.log)"
fi

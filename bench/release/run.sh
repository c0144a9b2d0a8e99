#!/usr/bin/env bash
# Gateway image build time: release-tool (jib-core inside) vs Google's jib-maven-plugin, on the same
# inputs: the gateway's compiled classes (gateway/target/classes), the same 23 runtime jars and the
# same base (the one release-tool assembles from the pinned .debs in release/base.yaml; jib-maven-plugin
# reads it as a tar:// base, the docker archive release-tool caches beside the layout).
#
# Each tool builds RUNS times cold (empty layer caches; the base is already assembled for both) and
# RUNS times warm (caches filled by one untimed build first). Times are wall clock per command, JVM
# start included (bin/release-tool: one JVM; jib-maven-plugin: Maven's). Each tool's digests are
# compared across all its builds: a reproducible build gives one digest. The two tools' images
# differ by design (labels, layering, entrypoint), so their digests are not compared.
#
# Not the same: jib-maven-plugin is run with -pl gateway, so it takes the project's own jar
# (palisade-cli-support) from ~/.m2 (the last installed snapshot) where release-tool takes
# cli-support/target's; the other 22 jars are the same files.
#
# Usage: bench/release/run.sh [RUNS]   (env JIB_MAVEN_PLUGIN_VERSION, default 3.4.6; MVN_ARGS, e.g. -o)
# Needs: the gateway built with its classpath (release/prepare-gateway.sh) and release-tool packaged;
# this script builds them when missing. jib-maven-plugin comes from Maven Central (cached in ~/.m2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
runs="${1:-2}"
jib_version="${JIB_MAVEN_PLUGIN_VERSION:-3.4.6}"
mvn_args=(${MVN_ARGS:-})
cache="${XDG_CACHE_HOME:-$HOME/.cache}/palisade"
hex="$(sed -n 's/^digest: *sha256:\([0-9a-f]\{64\}\).*/\1/p' release/base.yaml)"
[[ -n "$hex" ]] || { echo "bench: release/base.yaml pins no sha256 digest" >&2; exit 1; }

if [[ ! -s gateway/target/release-classpath.txt || ! -d gateway/target/classes ]]; then
  echo "== building the gateway and its runtime classpath (release/prepare-gateway.sh)"
  release/prepare-gateway.sh "${mvn_args[@]}"
fi
if [[ ! -f release-tool/target/release-tool.jar ]]; then
  echo "== packaging release-tool"
  mvn -q -B -ntp -pl release-tool -am -DskipTests "${mvn_args[@]}" package
fi
echo "== the base (assembled once from the pinned .debs, shared by both tools)"
bin/release-tool base --cache-dir "$cache" >/dev/null
base_dir="$cache/base/$hex"
[[ -f "$base_dir/base-docker.tar" ]] || { echo "bench: no assembled base at $base_dir" >&2; exit 1; }

work="$(mktemp -d /tmp/bench-release.XXXXXX)"
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
: > "$results"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# release-tool build into a fresh layout; cache dir $1 (holding a copy of the assembled base).
release_tool_build() {
  local cache_dir="$1" out="$2"
  bin/release-tool build --snapshot --cache-dir "$cache_dir" --to "oci:$out" >"$work/rt.log" 2>&1 \
    || { cat "$work/rt.log" >&2; exit 1; }
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' "$out/index.json"
}

# jib-maven-plugin buildTar (OCI) of the gateway module onto the same base; caches $1.
jib_maven_build() {
  local caches="$1" out="$2"
  mkdir -p "$out"
  mvn -B -q -ntp "${mvn_args[@]}" -pl gateway "com.google.cloud.tools:jib-maven-plugin:$jib_version:buildTar" \
    -Djib.from.image="tar://$base_dir/base-docker.tar" \
    -Djib.to.image=ghcr.io/palisade-dev/gateway:bench \
    -Djib.container.format=OCI \
    -Djib.container.mainClass=dev.palisade.gateway.GatewayMain \
    -Djib.container.user=65532:65532 \
    -Djib.container.args=serve,--config,/etc/palisade/gateway.yaml \
    -Djib.container.ports=8080 \
    -Djib.baseImageCache="$caches/base" -Djib.applicationCache="$caches/app" \
    -Djib.outputPaths.tar="$out/image.tar" -Djib.outputPaths.digest="$out/digest" \
    -Djib.outputPaths.imageId="$out/id" -Djib.outputPaths.imageJson="$out/image.json" \
    >"$work/jib.log" 2>&1 || { cat "$work/jib.log" >&2; exit 1; }
  cat "$out/digest"
}

fresh_release_tool_cache() {
  mkdir -p "$1/base"
  cp -r "$base_dir" "$1/base/$hex"
}

measure() { # tool mode run command...
  local tool="$1" mode="$2" run="$3"; shift 3
  local start digest
  start=$(now_ms)
  digest="$("$@")"
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$mode" "$run" "$(( $(now_ms) - start ))" "$digest" >> "$results"
  printf '  %-17s %-4s #%s %6d ms  %s\n' "$tool" "$mode" "$run" "$(( $(now_ms) - start ))" "$digest"
}

echo "== cold: empty layer caches ($runs runs each)"
for i in $(seq 1 "$runs"); do
  fresh_release_tool_cache "$work/rt-cold-$i"
  measure release-tool cold "$i" release_tool_build "$work/rt-cold-$i" "$work/rt-cold-$i/image"
  measure jib-maven-plugin cold "$i" jib_maven_build "$work/jib-cold-$i" "$work/jib-cold-$i/out"
done
echo "== warm: caches filled by one untimed build ($runs runs each)"
fresh_release_tool_cache "$work/rt-warm"
release_tool_build "$work/rt-warm" "$work/rt-warm/image-0" >/dev/null
jib_maven_build "$work/jib-warm" "$work/jib-warm/out-0" >/dev/null
for i in $(seq 1 "$runs"); do
  measure release-tool warm "$i" release_tool_build "$work/rt-warm" "$work/rt-warm/image-$i"
  measure jib-maven-plugin warm "$i" jib_maven_build "$work/jib-warm" "$work/jib-warm/out-$i"
done

python3 - "$results" "$jib_version" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
tools = ["release-tool", "jib-maven-plugin"]
def times(tool, mode):
    return [int(r[3]) for r in rows if r[0] == tool and r[1] == mode]
print()
print("%-26s %14s %14s   %s" % ("tool", "cold median", "warm median", "digests over all builds"))
med = {}
for tool in tools:
    digests = sorted({r[4] for r in rows if r[0] == tool})
    med[tool] = {m: statistics.median(times(tool, m)) for m in ("cold", "warm")}
    same = "one digest (reproducible): " + digests[0] if len(digests) == 1 else "%d DIFFERENT digests" % len(digests)
    name = tool if tool == "release-tool" else tool + " " + sys.argv[2]
    print("%-26s %12.1f s %12.1f s   %s" % (name, med[tool]["cold"] / 1000, med[tool]["warm"] / 1000, same))
for mode in ("cold", "warm"):
    print("ratio release-tool / jib-maven-plugin, %s: %.2f" % (mode, med["release-tool"][mode] / med["jib-maven-plugin"][mode]))
PY

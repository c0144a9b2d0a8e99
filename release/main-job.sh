#!/usr/bin/env bash
# The release-tool main job, offline (no registry, no Docker daemon), from a fresh clone:
#   1. builds the gateway and records its runtime classpath (release/prepare-gateway.sh),
#   2. builds release-tool and scanner,
#   3. runs the whole pipeline as a snapshot into an OCI layout: base assembled from the pinned
#      .debs (first run downloads ~48 MB from deb.debian.org, cached in ~/.cache/palisade;
#      pass --deb-dir DIR through RELEASE_ARGS on machines without a mirror), jib image, scan gate,
#      SBOM, provenance,
#   4. scans the result again with the scanner CLI, as anyone receiving the image would,
#   5. prints the digest, the SBOM component count and the scan status.
# Usage: release/main-job.sh [extra mvn args, e.g. -o]   (RELEASE_ARGS="--deb-dir DIR" for offline bases)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
image_dir=target/release/image
out_dir=target/release

echo "== 1/4 gateway build and runtime classpath"
release/prepare-gateway.sh "$@"
echo "== 2/4 release-tool and scanner"
mvn -q -B -ntp -pl release-tool,scanner -am -DskipTests "$@" package
mkdir -p "$out_dir"
echo "== 3/4 release --snapshot --to oci:$image_dir"
# shellcheck disable=SC2086
bin/release-tool release --snapshot --to "oci:$image_dir" --out-dir "$out_dir" --json ${RELEASE_ARGS:-} \
  > "$out_dir/result.json"
echo "== 4/4 scanner scan oci:$image_dir"
set +e
bin/scanner scan "oci:$image_dir" --format json -o "$out_dir/rescan.json"
scan_exit=$?
set -e
python3 - "$out_dir/result.json" "$out_dir/rescan.json" "$scan_exit" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
status = {0: "clean", 1: "FINDINGS", 2: "INCOMPLETE"}.get(int(sys.argv[3]), "error " + sys.argv[3])
print()
print("digest           ", result["digest"])
print("image            ", result["image"])
print("version          ", result["version"])
print("SBOM components  ", result["sbomComponents"], "(" + result["sbom"] + ")")
print("release scan gate", result["scan"])
print("scanner scan     ", status, "(" + sys.argv[2] + ")")
PY
exit "$scan_exit"

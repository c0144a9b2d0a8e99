#!/usr/bin/env bash
# The release-tool main job, offline (no registry, no Docker daemon), from a fresh clone:
#   1. builds the gateway and records its runtime classpath (release/prepare-gateway.sh),
#   2. builds release-tool and scanner,
#   3. makes a throwaway signing key (CI signs keyless instead),
#   4. runs the whole pipeline as a snapshot into an OCI layout: base assembled from the pinned
#      .debs (first run downloads ~48 MB from deb.debian.org, cached in ~/.cache/palisade;
#      pass --deb-dir DIR through RELEASE_ARGS on machines without a mirror), jib image, scan gate,
#      SBOM, provenance, signature and attestations attached as OCI referrers,
#   5. verifies the signature and both attestations with the scanner CLI,
#   6. scans the result again, as anyone receiving the image would, and prints the digest, the SBOM
#      component count, the scan and the verification results,
#   7. runs the image (release/run-image.sh: umoci unpack, the image's entrypoint as its user in its
#      own root, GET /healthz and /readyz). That needs root; as another user it is not run and the
#      job says so and how to run it.
# Usage: release/main-job.sh [extra mvn args, e.g. -o]   (RELEASE_ARGS="--deb-dir DIR" for offline bases)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
image_dir=target/release/image
out_dir=target/release

echo "== 1/7 gateway build and runtime classpath"
release/prepare-gateway.sh "$@"
echo "== 2/7 release-tool and scanner"
mvn -q -B -ntp -pl release-tool,scanner -am -DskipTests "$@" package
mkdir -p "$out_dir"
rm -rf "$image_dir" "$out_dir/demo.key" "$out_dir/demo.pub"
echo "== 3/7 a throwaway signing key (offline stand-in for the release workflow's keyless identity)"
# The password travels in the environment, never on a command line.
COSIGN_PASSWORD="$(head -c 24 /dev/urandom | base64)"
export COSIGN_PASSWORD
bin/release-tool keygen --output-prefix "$out_dir/demo"
echo "== 4/7 release --snapshot --to oci:$image_dir --sign-key $out_dir/demo.key"
# shellcheck disable=SC2086
bin/release-tool release --snapshot --to "oci:$image_dir" --out-dir "$out_dir" --json \
  --sign-key "$out_dir/demo.key" ${RELEASE_ARGS:-} > "$out_dir/result.json"
unset COSIGN_PASSWORD
echo "== 5/7 scanner verify oci:$image_dir (signature, SBOM and provenance attestations)"
set +e
bin/scanner verify "oci:$image_dir" --key "$out_dir/demo.pub" \
  --require-attestation https://cyclonedx.org/bom --require-attestation https://slsa.dev/provenance/v1
verify_exit=$?
set -e
echo "== 6/7 scanner scan oci:$image_dir"
set +e
bin/scanner scan "oci:$image_dir" --format json -o "$out_dir/rescan.json"
scan_exit=$?
set -e
python3 - "$out_dir/result.json" "$out_dir/rescan.json" "$scan_exit" "$verify_exit" <<'PY'
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
print("scanner verify   ", "verified" if sys.argv[4] == "0" else "FAILED (exit " + sys.argv[4] + ")")
PY
[ "$verify_exit" -eq 0 ] || exit "$verify_exit"
[ "$scan_exit" -eq 0 ] || exit "$scan_exit"
echo
echo "== 7/7 run the image: its entrypoint in its own root filesystem, GET /healthz and /readyz"
if [ "$(id -u)" = 0 ]; then
  release/run-image.sh "oci:$image_dir"
else
  echo "NOT RUN: release/run-image.sh needs root (namespaces, changing root); run: sudo release/run-image.sh oci:$image_dir"
fi

#!/usr/bin/env bash
# Writes a copy of these manifests whose gateway image is the given release, by digest.
# Usage: deploy/kubernetes/pin-image.sh REPO[:TAG]@sha256:HEX OUT_DIR
#   REPO must be the repository the manifests name (the one the release workflow pushes to);
#   a tag, if present, is dropped: a tag can be moved, a digest cannot.
# The release workflow runs this after `scanner verify` and `scanner scan` passed on that digest,
# and publishes OUT_DIR as the "kubernetes-manifests" artifact. Exit 0 on success, 2 on bad usage
# or input (the reason on stderr).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() { echo "pin-image: $*" >&2; exit 2; }
[[ $# -eq 2 ]] || die "usage: pin-image.sh REPO[:TAG]@sha256:HEX OUT_DIR"
ref="$1" out="$2"
[[ "$ref" =~ ^([a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+)(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@(sha256:[0-9a-f]{64})$ ]] \
  || die "'$ref' is not REPO[:TAG]@sha256:<64 hex digits>"
repo="${BASH_REMATCH[1]}" digest="${BASH_REMATCH[4]}"
[[ "$digest" != "sha256:$(printf '0%.0s' {1..64})" ]] || die "'$ref' is the placeholder digest"
deployment="$here/gateway-deployment.yaml"
placeholder="image: $repo@sha256:$(printf '0%.0s' {1..64})"
count="$(grep -c -F "$placeholder" "$deployment" || true)"
[[ "$count" == 1 ]] || die "expected the line '$placeholder' once in $deployment, found it $count time(s); is $repo the repository the manifests name?"
mkdir -p "$out"
for f in "$here"/*.yaml; do
  if [[ "$f" == "$deployment" ]]; then
    sed "s|$placeholder|image: $repo@$digest|" "$f" >"$out/$(basename "$f")"
  else
    cp "$f" "$out/"
  fi
done
grep -q -F "image: $repo@$digest" "$out/gateway-deployment.yaml" || die "the digest was not written to $out/gateway-deployment.yaml"
echo "$out: gateway image $repo@$digest"

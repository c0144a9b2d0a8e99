#!/usr/bin/env bash
# Regenerates the package pins in base.yaml from this machine's apt lists (Debian 12 "bookworm",
# main + security). Run after 'apt-get update' when the pins should move to newer packages, then
# run 'bin/release-tool base --print-digest' and put the digest it prints into base.yaml.
# The pins are what matters: a build never trusts apt, it checks every .deb against them.
set -euo pipefail
packages=(base-files netbase ca-certificates libc6 libgcc-s1 gcc-12-base libstdc++6 zlib1g openjdk-17-jre-headless)
for p in "${packages[@]}"; do
  uri=$(apt-get download --print-uris "$p" | head -1)
  url=$(echo "$uri" | awk '{print $1}' | tr -d "'")
  path=${url#http://deb.debian.org/}
  path=${path#https://deb.debian.org/}
  version=$(apt-cache show --no-all-versions "$p" | awk '/^Version:/{print $2}')
  arch=$(apt-cache show --no-all-versions "$p" | awk '/^Architecture:/{print $2}')
  sha=$(apt-cache show --no-all-versions "$p" | awk '/^SHA256:/{print $2}')
  size=$(apt-cache show --no-all-versions "$p" | awk '/^Size:/{print $2}')
  printf '  - name: %s\n    version: "%s"\n    architecture: %s\n    sha256: %s\n    size: %s\n    path: %s\n' \
    "$p" "$version" "$arch" "$sha" "$size" "$path"
done

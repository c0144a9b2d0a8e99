#!/usr/bin/env bash
# Detection figures for issue 7, not a timed test:
#  1. builds the labelled corpus (DetectionCorpusTest, images kept in $OUT) and prints recall per
#     category on the bad images and findings on the clean ones, from the scanner's own results;
#  2. runs the same corpus through yara with the equivalent rules (`scanner rules yara`) over the
#     extracted layer files, and prints yara's recall per category for comparison;
#  3. scans a debootstrap Debian root filesystem plus the JDK and prints file count and findings.
# Palisade's own gateway image is counted among the clean images of step 1 when it exists at
# $GATEWAY_IMAGE (default target/release/image, an OCI layout written by release/main-job.sh);
# --with-gateway-image builds it first with `release/main-job.sh -o` (about 3 minutes, ~48 MB of
# .debs downloaded once into ~/.cache/palisade; release-tool refuses a working tree with
# uncommitted changes, so build from a clean checkout). Its findings are listed file by file.
# Usage: bench/detection/run.sh [--with-gateway-image]
# Needs: debootstrap (and the Debian mirror), yara, umoci/skopeo, zstd, npm, jq-free (python3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
with_gateway=0
for arg in "$@"; do
  case "$arg" in
    --with-gateway-image) with_gateway=1 ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "bench: unknown argument $arg (usage: $0 [--with-gateway-image])" >&2; exit 2 ;;
  esac
done
GATEWAY_IMAGE="${GATEWAY_IMAGE:-$root/target/release/image}"
OUT="${OUT:-${TMPDIR:-/tmp}/palisade-detection-bench}"
CACHE="${PALISADE_CORPUS_CACHE:-${TMPDIR:-/tmp}/palisade-corpus-cache}"
JDK="${JDK:-/usr/lib/jvm/java-17-openjdk-amd64}"
for tool in yara tar zstd python3 java mvn; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install ${tool/python3/python3-minimal})" >&2; exit 3; }
done
rm -rf "$OUT" && mkdir -p "$OUT"
cd "$root"

echo "== 1. corpus through the scanner (builds the images once, keeps them in $OUT)"
start=$(date +%s)
mvn -q -B -ntp -pl scanner -am test -Dtest=DetectionCorpusTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dpalisade.corpus.out="$OUT" -Dpalisade.corpus.cache="$CACHE" >"$OUT/mvn.log" 2>&1 \
  || { echo "corpus test failed (see $OUT/mvn.log)"; tail -30 "$OUT/mvn.log"; }
echo "corpus build + scan: $(( $(date +%s) - start )) s"
mvn -q -B -ntp -DskipTests package -pl scanner -am >/dev/null
if [ "$with_gateway" = 1 ]; then
  echo "building the gateway image (release/main-job.sh -o, output in $OUT/gateway-build.log)"
  start=$(date +%s)
  # Exit 1 only means the release scan gate found something: the image is written all the same.
  release/main-job.sh -o >"$OUT/gateway-build.log" 2>&1 \
    || echo "release/main-job.sh exited $? (see $OUT/gateway-build.log)"
  echo "gateway image build: $(( $(date +%s) - start )) s"
  [ -f "$GATEWAY_IMAGE/index.json" ] || tail -5 "$OUT/gateway-build.log"
fi
if [ -f "$GATEWAY_IMAGE/index.json" ]; then
  # Scanned as anyone receiving the image would, and added to results.tsv as one more clean image.
  set +e
  bin/scanner scan "oci:$GATEWAY_IMAGE" --format json --output "$OUT/gateway.json" --quiet
  rc=$?
  set -e
  python3 - "$OUT/gateway.json" "$rc" "$GATEWAY_IMAGE" "$OUT/results.tsv" <<'PY'
import json, sys
report_file, rc, image, tsv = sys.argv[1:5]
try:
    r = json.load(open(report_file))
except (OSError, ValueError) as e:
    print("gateway image %s: scanner exit %s, no report (%s)" % (image, rc, e)); sys.exit(0)
f = [x for p in r["platforms"] for x in p["findings"]]
inc = r.get("incomplete", [])
print("gateway image %s: findings %d  incomplete %d  status %s  exit %s" % (image, len(f), len(inc), r["status"], rc))
for x in f:
    print("   %-45s %-8s %s  %s" % (x["ruleId"], x["severity"], x["path"], x.get("evidence", "")))
for i in inc:
    print("   incomplete:", i)
rules = sorted({x["ruleId"] for x in f} | ({"(incomplete)"} if inc else set()))
with open(tsv, "a") as out:
    out.write("palisade-gateway\tclean\tnone\t\t%s\toci:%s\n" % (",".join(rules), image))
PY
else
  echo "gateway image: none at $GATEWAY_IMAGE (pass --with-gateway-image to build it), not counted"
fi
python3 - "$OUT/results.tsv" <<'PY'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
by = collections.defaultdict(lambda: [0, 0])
clean_findings = []
for name, cat, ev, expected, found, image in rows:
    exp = set(filter(None, expected.split(","))); got = set(filter(None, found.split(",")))
    if cat == "clean":
        clean_findings.append((name, sorted(got)))
        continue
    by[cat][0] += 1; by[cat][1] += exp <= got
print("%-20s %6s %6s %7s" % ("category", "images", "caught", "recall"))
tot = [0, 0]
for cat in sorted(by):
    n, c = by[cat]; tot[0] += n; tot[1] += c
    print("%-20s %6d %6d %6.1f%%" % (cat, n, c, 100.0 * c / n))
print("%-20s %6d %6d %6.1f%%" % ("all", tot[0], tot[1], 100.0 * tot[1] / tot[0]))
print("clean images: %d, with findings: %d" % (len(clean_findings), sum(1 for _, f in clean_findings if f)))
for name, f in clean_findings:
    print("  %-40s %s" % (name, ", ".join(f) or "no findings"))
PY

echo
echo "== 2. the same corpus through yara (rules exported by 'scanner rules yara'; path-, mode- and"
echo "   config-only rules have no YARA form and are listed as not exported)"
bin/scanner rules yara >"$OUT/rules.yar" 2>"$OUT/not-exported.txt"
echo "exported $(grep -c '^rule ' "$OUT/rules.yar") rules; not exported: $(wc -l <"$OUT/not-exported.txt")"
python3 - "$OUT" <<'PY'
import sys, os, json, subprocess, collections, tarfile, gzip, shutil, io
out = sys.argv[1]
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(out, "results.tsv"))][1:]
yara_rules = {l.split()[1] for l in open(os.path.join(out, "rules.yar")) if l.startswith("rule ")}
def blobs_of(spec):
    # oci:DIR:TAG -> every layer blob of every platform under that tag
    if not spec.startswith("oci:"):
        return None
    d, tag = spec[4:].rsplit(":", 1)
    idx = json.load(open(os.path.join(d, "index.json")))
    def blob(dg): return os.path.join(d, "blobs", "sha256", dg.split(":")[1])
    res = []
    for m in idx["manifests"]:
        if m.get("annotations", {}).get("org.opencontainers.image.ref.name") != tag: continue
        doc = json.load(open(blob(m["digest"])))
        mans = [x["digest"] for x in doc["manifests"]] if "manifests" in doc else [m["digest"]]
        for md in mans:
            for l in json.load(open(blob(md)))["layers"]:
                res.append((blob(l["digest"]), l["mediaType"]))
    return res
by = collections.defaultdict(lambda: [0, 0, 0])
for name, cat, ev, expected, found, spec in rows:
    if cat == "clean": continue
    exp = set(filter(None, expected.split(",")))
    exportable = {e for e in exp if e.replace(".", "_").replace("-", "_") in yara_rules}
    blobs = blobs_of(spec)
    by[cat][0] += 1
    if not exportable or blobs is None:
        continue  # nothing YARA can be asked (config-only, path/mode rules, docker-archive)
    by[cat][1] += 1
    root = os.path.join(out, "yara-tree", name); os.makedirs(root, exist_ok=True)
    for i, (b, mt) in enumerate(blobs):
        dst = os.path.join(root, str(i)); os.makedirs(dst, exist_ok=True)
        cmd = ["tar", "-xf", b, "-C", dst] + (["--zstd"] if mt.endswith("zstd") else [])
        subprocess.run(cmd, stderr=subprocess.DEVNULL)
    r = subprocess.run(["yara", "-r", "-N", "-w", os.path.join(out, "rules.yar"), root], capture_output=True, text=True)
    hit = {l.split()[0] for l in r.stdout.splitlines() if l.strip()}
    by[cat][2] += all(e.replace(".", "_").replace("-", "_") in hit for e in exportable)
print("%-20s %6s %16s %11s" % ("category", "images", "yara-expressible", "yara caught"))
for cat in sorted(by):
    n, x, c = by[cat]
    print("%-20s %6d %16d %11d" % (cat, n, x, c))
print("(yara sees no paths, modes, image config, nested jars/wheels or encoded runs: those images count as not expressible or missed)")
PY

echo
echo "== 3. full scan: Debian root filesystem ($CACHE/debian-rootfs) and the JDK ($JDK)"
for d in "$CACHE/debian-rootfs" "$JDK"; do
  [ -d "$d" ] || { echo "missing $d (run step 1 first: it runs debootstrap)"; exit 3; }
  files=$(find "$d" -type f | wc -l)
  start=$(date +%s.%N)
  set +e
  bin/scanner scan "dir:$d" --format json --output "$OUT/full-$(basename "$d").json" --quiet
  rc=$?
  set -e
  secs=$(python3 -c "import time,sys; print('%.1f' % (time.time() - float(sys.argv[1])))" "$start")
  python3 - "$OUT/full-$(basename "$d").json" "$d" "$files" "$rc" "$secs" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
f = [x for p in r["platforms"] for x in p["findings"]]
print("%-45s files %6s  findings %d  status %s  exit %s  %ss" % (sys.argv[2], sys.argv[3], len(f), r["status"], sys.argv[4], sys.argv[5]))
for x in f:
    print("   ", x["ruleId"], x["path"], x.get("evidence", ""))
PY
done
echo "same trees through yara with the exported rules:"
for d in "$CACHE/debian-rootfs" "$JDK"; do
  echo "  $d: $(yara -r -N -w "$OUT/rules.yar" "$d" 2>/dev/null | wc -l) yara match(es)"
done

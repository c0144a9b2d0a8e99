#!/usr/bin/env bash
# Scanner benchmark (issue 3, "Benchmark"). Builds an OCI image layout from real files of this
# machine (4 gzip layers: base OS, runtimes, shared data, misc; see build-image.py), then measures
# side by side on that same image, interleaved run by run so load drift hits all three alike:
#   (a) scanner   bin/scanner scan oci:DIR:bench --format json --quiet (the launcher users run:
#                 its JVM options and its class-data-sharing archive, made by two untimed runs
#                 first, as a user's second scan after a build makes it)
#                 wall time, MB/s of uncompressed layer bytes, peak RSS (GNU time "%M")
#   (b) yara      the peer pipeline: tar -xzf every layer into a temp dir (layers in parallel),
#                 then yara -r -N -p 2 miner-literals.yar DIR (literals of policies/rules)
#   (c) floor     gzip -dc of every layer at once, to /dev/null
# and prints a table with the issue's goals (scanner <= 0.7x the yara pipeline's wall time,
# >= 60% of the floor's throughput, peak RSS < 300 MB at every size) marked PASS/MISS, the
# scanner's status and findings on the image (real system files: any finding is a false positive),
# and the yara pipeline's matches for comparison.
#
# Usage: bench/scanner/run.sh [options]
#   (no option)     full comparison (a)(b)(c) on a 500 MB image
#   --size SIZE     scanner only (a) on an image of SIZE (e.g. 2G): the memory-growth check;
#                   add --full to run (b) and (c) at that size too
#   --also-2g       the full 500 MB comparison, then (a) on a 2 GB image, and RSS by size
#   --runs N        repetitions of each measurement (default 3); the table shows medians, RSS max
#   --rebuild       rebuild cached images (kept in bench/scanner/.work/, git-ignored)
#   --wait-load L   before measuring, wait (at most 5 min) until the 1-minute load is below L
#   --profile       after the runs, one more scanner run under JFR; prints where CPU time goes
#   --java-opts S   JVM options for the scanner instead of bin/scanner's defaults (its compiler
#                   directives included)
#   --no-cds        run the scanner without its class-data-sharing archive (PALISADE_CDS=off)
#   --also-java-opts S  one more scanner row, (a'), run with these JVM options added to bin/scanner's
#                   (PALISADE_EXTRA_JAVA_OPTS; e.g. a default under consideration); goals use (a)
# Every timed run starts after a sync, so no run pays for the previous one's disk writes (the
# yara pipeline extracts the whole image to disk).
# Environment: JAVA (default java; the scanner runs on the JDK it belongs to), SCANNER_JAR (default scanner/target/scanner.jar; copied at start
# so a concurrent rebuild cannot change it mid-run).
# Needs (Debian): java 17, python3, gzip, tar, yara, GNU time (/usr/bin/time: apt-get install -y time).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
JAVA="${JAVA:-java}"
SCANNER_JAR="${SCANNER_JAR:-$root/scanner/target/scanner.jar}"
RULES_YAR="$here/miner-literals.yar"
CACHE="$here/.work"

size_a=""      # --size: scanner-only size
full_at_size=0
also_2g=0
runs=3
rebuild=0
wait_load=""
profile=0
# The scanner runs through bin/scanner with its default JVM options, so the figures are what users
# get; --java-opts replaces them (PALISADE_JAVA_OPTS). The defaults, for the header and --profile:
default_opts="$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' "$root/bin/scanner")"
[[ -n "$default_opts" ]] || { echo "bench: no default_java_opts line in $root/bin/scanner" >&2; exit 3; }
java_opts=""
alt_opts=""
cds=on

die() { echo "bench: $*" >&2; exit 3; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) size_a="${2:?--size needs a value}"; shift 2 ;;
    --full) full_at_size=1; shift ;;
    --also-2g) also_2g=1; shift ;;
    --runs) runs="${2:?}"; shift 2 ;;
    --rebuild) rebuild=1; shift ;;
    --wait-load) wait_load="${2:?}"; shift 2 ;;
    --profile) profile=1; shift ;;
    --java-opts) java_opts="${2?}"; shift 2 ;;
    --also-java-opts) alt_opts="${2:?}"; shift 2 ;;
    --no-cds) cds=off; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"

for tool in "$JAVA" python3 gzip tar yara; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian: apt-get install -y openjdk-17-jdk-headless python3 gzip tar yara)"
done
[[ -x /usr/bin/time ]] || die "GNU time missing: apt-get install -y time"
if [[ ! -f "$SCANNER_JAR" ]]; then
  # Others may be rebuilding it right now: fall back to the copy the last run kept, saying so.
  [[ -f "$CACHE/scanner.jar" ]] || die "$SCANNER_JAR missing; build it: (cd $root && mvn -q -B -o -DskipTests -Dmaven.test.skip=true package -pl scanner -am)"
  echo "bench: $SCANNER_JAR missing (a build in progress?); using the copy of $(date -r "$CACHE/scanner.jar" '+%F %T') kept by the last run" >&2
  SCANNER_JAR="$CACHE/scanner.jar"
fi

mkdir -p "$CACHE"
work="$(mktemp -d "$CACHE/run.XXXXXX")"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

jar="$work/scanner.jar"
cp "$SCANNER_JAR" "$jar"
[[ "$SCANNER_JAR" == "$CACHE/scanner.jar" ]] || cp -p "$SCANNER_JAR" "$CACHE/scanner.jar"
cores="$(nproc)"
# bin/scanner runs `java` from JAVA_HOME: point it at the JDK of $JAVA.
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")"

load1() { cut -d' ' -f1 /proc/loadavg; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# --- images ----------------------------------------------------------------------------------
image_dir() { echo "$CACHE/image-$1"; }
ensure_image() { # size
  local dir; dir="$(image_dir "$1")"
  if [[ $rebuild -eq 1 || ! -f "$dir/bench-meta.json" ]]; then
    echo "building the $1 image from real files into $dir (cached for later runs) ..." >&2
    python3 "$here/build-image.py" --out "$dir" --size "$1" --tag bench >&2
  fi
}
meta() { # size key
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$(image_dir "$1")/bench-meta.json" "$2"
}
layer_blobs() { # size -> layer blob paths, one per line
  python3 - "$(image_dir "$1")" <<'PY'
import json, os, sys
d = sys.argv[1]
for l in json.load(open(os.path.join(d, "bench-meta.json")))["layers"]:
    print(os.path.join(d, "blobs", "sha256", l["digest"].split(":", 1)[1]))
PY
}
warm_cache() { cat "$(image_dir "$1")"/blobs/sha256/* >/dev/null; }

# --- measurements: each appends "wall maxrss_kb user sys rc" to a result file -------------------
timed() { # outfile cmd... ; appends "wall rss user sys rc"
  local out="$1"; shift
  local t="$work/time.$$"
  local rc=0
  sync
  /usr/bin/time -f '%e %M %U %S' -o "$t" "$@" || rc=$?
  echo "$(tail -n1 "$t") $rc" >>"$out"
}

run_scanner() { # size label [variant jvm-options]
  local img; img="$(image_dir "$1")"
  local variant="${3:-scanner}" extra="${4:-}"
  timed "$work/res.$variant.$2" env JAVA_HOME="$java_home" PALISADE_SCANNER_JAR="$jar" PALISADE_JAVA_OPTS="$java_opts" \
    PALISADE_EXTRA_JAVA_OPTS="$extra" \
    PALISADE_CDS="$cds" "$root/bin/scanner" scan "oci:$img:bench" --format json --quiet \
    --allow-incomplete --output "$work/report.$variant.$2.json" 2>"$work/$variant.$2.stderr"
}

# Two untimed scans, as a user's first two after a build: bin/scanner writes its class-data-sharing
# archive next to the jar at the end of the second. Later runs map their classes from it.
prepare_scanner() { # size
  local img; img="$(image_dir "$1")"
  for _ in 1 2; do
    env JAVA_HOME="$java_home" PALISADE_SCANNER_JAR="$jar" PALISADE_JAVA_OPTS="$java_opts" PALISADE_CDS="$cds" \
      "$root/bin/scanner" scan "oci:$img:bench" --format json --quiet --allow-incomplete >/dev/null 2>&1 || true
  done
  if [[ $cds == on ]] && ! compgen -G "${jar%.jar}.cds-*.jsa" >/dev/null; then
    echo "bench: bin/scanner made no class-data-sharing archive; the scanner runs without one" >&2
  fi
}

run_yara_pipeline() { # size label
  local ex="$work/extract"
  rm -rf "$ex"; mkdir -p "$ex"
  local blobs; blobs="$(layer_blobs "$1" | tr '\n' ' ')"
  # Layers extracted in parallel (nproc at a time) into one dir each, then one yara pass over all:
  # the peer's best shot on this machine, and every layer's files are scanned, as the scanner does.
  timed "$work/res.yara.$2" bash -c '
    set -euo pipefail
    ex="$1"; rules="$2"; jobs="$3"; shift 3
    i=0
    for blob in "$@"; do
      mkdir -p "$ex/layer$i"
      tar -xzf "$blob" -C "$ex/layer$i" --no-same-owner 2>>"$ex.tar-errors" &
      i=$((i + 1))
      while [[ $(jobs -rp | wc -l) -ge $jobs ]]; do wait -n; done
    done
    wait
    start=$(date +%s.%N)
    yara -r -N -p 2 "$rules" "$ex" >"$ex.matches" 2>"$ex.errors" || true
    echo "$start $(date +%s.%N)" >"$ex.yara-times"
  ' _ "$ex" "$RULES_YAR" "$cores" $blobs
  # extract vs yara split, for the table's note
  python3 - "$ex.yara-times" >>"$work/res.yarasplit.$2" <<'PY'
import sys
a, b = map(float, open(sys.argv[1]).read().split())
print(round(b - a, 2))
PY
  cp "$ex.matches" "$work/yara.$2.matches"; cat "$ex.errors" "$ex.tar-errors" >"$work/yara.$2.errors" 2>/dev/null || true
  rm -rf "$ex" "$ex.matches" "$ex.errors" "$ex.tar-errors" "$ex.yara-times"
}

run_floor() { # size label
  local blobs; blobs="$(layer_blobs "$1" | tr '\n' ' ')"
  timed "$work/res.floor.$2" bash -c 'for l in "$@"; do gzip -dc "$l" >/dev/null & done; wait' _ $blobs
}

maybe_wait_load() {
  [[ -n "$wait_load" ]] || return 0
  local waited=0
  while python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' "$(load1)" "$wait_load"; do
    if [[ $waited -ge 300 ]]; then echo "bench: load still $(load1) after 5 min; measuring anyway" >&2; return 0; fi
    sleep 10; waited=$((waited + 10))
  done
}

# --- report ----------------------------------------------------------------------------------
summarise() { # size label full(0/1) loadbefore loadafter
  BENCH_CDS="$cds" python3 - "$work" "$(image_dir "$1")" "$2" "$3" "$4" "$5" "$cores" "$runs" \
    "${java_opts:-bin/scanner defaults: $default_opts, plus its C2 directives}" "$alt_opts" <<'PY'
import json, os, statistics, sys
work, img, label, full, load_before, load_after, cores, runs, java_opts, alt_opts = sys.argv[1:]
full = full == "1"
meta = json.load(open(os.path.join(img, "bench-meta.json")))
unc = meta["uncompressed"]; comp = meta["compressed"]
MB = 1e6

def rows(name):
    p = os.path.join(work, "res.%s.%s" % (name, label))
    if not os.path.exists(p):
        return None
    out = []
    for line in open(p):
        w, rss, u, s, rc = line.split()
        out.append((float(w), int(rss), float(u) + float(s), int(rc)))
    return out

def med(rs, i):
    return statistics.median(r[i] for r in rs)

sc = rows("scanner"); ya = rows("yara") if full else None; fl = rows("floor") if full else None
print()
print("== Scanner benchmark: %s image, %s layers, %.1f MB uncompressed (%.1f MB gzip), %d files ==" % (
    label, len(meta["layers"]), unc / MB, comp / MB, meta["files"]))
if meta.get("repeatedEntries"):
    print("   (%d entries are repeats of real files, to reach the size)" % meta["repeatedEntries"])
if java_opts:
    print("   scanner JVM options: %s; class-data sharing: %s" % (java_opts, os.environ.get("BENCH_CDS", "on")))
print("   machine: %s cores; load average (1/5/15 min) before: %s, after: %s" % (cores, load_before, load_after))
print("   %s run(s) of each, interleaved; goals use the best (lowest) wall time of each, as load only adds time" % runs)
print()
print("%-44s %9s %9s %9s %9s %12s" % ("", "best s", "median s", "MB/s", "CPU s", "peak RSS MB"))
def line(name, rs, rss=True):
    w = min(r[0] for r in rs); m = med(rs, 0); cpu = med(rs, 2)
    peak = max(r[1] for r in rs) * 1024 / MB
    print("%-44s %9.2f %9.2f %9.1f %9.2f %12s" % (name, w, m, unc / MB / w, cpu, ("%.0f" % peak) if rss else "-"))
    return w
sw = line("(a) scanner scan (JVM incl.)", sc)
sc2 = rows("scanner2")
if sc2:
    line("(a') scanner " + alt_opts, sc2)
if full:
    yw = line("(b) tar -xzf + yara -r -N -p 2", ya, rss=False)
    split = [float(x) for x in open(os.path.join(work, "res.yarasplit.%s" % label))]
    best = min(range(len(ya)), key=lambda i: ya[i][0])
    ys = split[best] if best < len(split) else statistics.median(split)
    print("%-44s %9.2f" % ("      of which extract (best run)", yw - ys))
    print("%-44s %9.2f" % ("      of which yara (best run)", ys))
    fw = line("(c) floor: gzip -dc all layers", fl, rss=False)
print()
print("MB/s: uncompressed layer bytes / best wall time. CPU s: user+sys of the whole process tree (median).")
print("all runs (wall s): scanner %s" % " ".join("%.2f" % r[0] for r in sc)
      + ("; yara pipeline %s; floor %s" % (" ".join("%.2f" % r[0] for r in ya), " ".join("%.2f" % r[0] for r in fl)) if full else ""))
rss_mb = max(r[1] for r in sc) * 1024 / MB
goals = []
if full:
    ratio = sw / yw
    share = (unc / sw) / (unc / fw)
    goals.append(("scanner wall / yara pipeline wall", "%.2fx" % ratio, "<= 0.70x", ratio <= 0.70))
    goals.append(("scanner MB/s / floor MB/s", "%.0f%%" % (share * 100), ">= 60%", share >= 0.60))
goals.append(("scanner peak RSS", "%.0f MB" % rss_mb, "< 300 MB", rss_mb < 300))
print()
print("%-36s %10s %10s   %s" % ("goal", "measured", "target", "result"))
for name, got, target, ok in goals:
    print("%-36s %10s %10s   %s" % (name, got, target, "PASS" if ok else "MISS"))
if full:
    sc_cpu, ya_cpu, fl_cpu = med(sc, 2), med(ya, 2), med(fl, 2)
    print("CPU-time view (less sensitive to load; not the goals): scanner/yara-pipeline CPU %.2fx;"
          " floor CPU/scanner CPU %.0f%%; per core: scanner %.0f MB/s, floor %.0f MB/s" % (
          sc_cpu / ya_cpu, 100 * fl_cpu / sc_cpu, unc / MB / sc_cpu, unc / MB / fl_cpu))

rep = json.load(open(os.path.join(work, "report.scanner.%s.json" % label)))
scanned_unc = sum(l["uncompressedBytes"] for p in rep["platforms"] for l in p["layers"])
print()
print("scanner report: status %s, %d finding(s), exit codes %s, uncompressed bytes read %d (image: %d)" % (
    rep["status"], rep["findingCount"], sorted({r[3] for r in sc}), scanned_unc, unc))
for p in rep["platforms"]:
    for f in p["findings"]:
        print("  FINDING (false positive on real system files): %s %s layer %s %s @%s: %s" % (
            f["ruleId"], f["severity"], f.get("layerIndex"), f["path"], f.get("offset", "-"), f["evidence"]))
    for i in p["incomplete"]:
        print("  INCOMPLETE: %s %s: %s" % (i["reason"], i["location"], i["detail"]))
for i in rep["incomplete"]:
    print("  INCOMPLETE: %s %s: %s" % (i["reason"], i["location"], i["detail"]))
if full:
    m = os.path.join(work, "yara.%s.matches" % label)
    lines = [l.rstrip("\n") for l in open(m)] if os.path.exists(m) else []
    e = os.path.join(work, "yara.%s.errors" % label)
    errs = [l for l in open(e)] if os.path.exists(e) else []
    print("yara pipeline: %d match(es), %d error line(s)" % (len(lines), len(errs)))
    for l in lines[:20]:
        rule, path = l.split(" ", 1)
        print("  yara: %s %s" % (rule, path.replace(os.path.join(work, "extract") + "/", "")))
    if len(lines) > 20:
        print("  ... %d more" % (len(lines) - 20))
with open(os.path.join(work, "rss.summary"), "a") as f:
    f.write("%s %d %d %.0f %.2f\n" % (label, unc, comp, rss_mb, sw))
PY
}

profile_scanner() { # size
  local img; img="$(image_dir "$1")"
  echo
  echo "== JFR profile of one scanner run ($1 image) =="
  # shellcheck disable=SC2086
  "$JAVA" ${java_opts:-$default_opts} -XX:StartFlightRecording=filename="$work/scan.jfr",settings=profile -jar "$jar" \
    scan "oci:$img:bench" --format json --quiet --allow-incomplete --output /dev/null >/dev/null 2>&1 || true
  jfr print --events jdk.GarbageCollection "$work/scan.jfr" >"$work/gc.txt" 2>/dev/null || true
  python3 - "$work/scan.jfr" "$work/gc.txt" <<'PY'
import collections, re, subprocess, sys
jfr, gcfile = sys.argv[1:]
def samples(kind):
    out = subprocess.run(["jfr", "print", "--events", kind, jfr], capture_output=True, text=True).stdout
    res = []
    for s in out.split(kind + " {")[1:]:
        frames = re.findall(r"^\s+([\w$.<>/]+\.[\w$<>]+)\(", s, re.M)
        m = re.search(r'sampledThread = "([^"]*)"', s)
        if frames and m and m.group(1).startswith("palisade"):
            res.append(frames)
    return res
# Java code is sampled every 10 ms, threads in native code (zlib inflate) every 20 ms.
java = samples("jdk.ExecutionSample"); native = samples("jdk.NativeMethodSample")
print("layer-thread samples: %d in Java (10 ms), %d in native code (20 ms)" % (len(java), len(native)))
for title, evs in (("Java", java), ("native", native)):
    n = len(evs) or 1
    print("%s, top frames (self):" % title)
    for f, c in collections.Counter(f[0] for f in evs).most_common(12 if title == "Java" else 4):
        print("  %5.1f%%  %s" % (100.0 * c / n, f))
    if title == "Java":
        incl = collections.Counter(x for f in evs for x in set(f))
        print("Java, inclusive (frame anywhere on the stack):")
        shown = 0
        for f, c in incl.most_common():
            if f.startswith(("dev.palisade", "org.apache.commons.compress", "sun.security", "java.util.regex")) and shown < 16:
                print("  %5.1f%%  %s" % (100.0 * c / n, f)); shown += 1
pauses = [float(x) for x in re.findall(r"sumOfPauses = ([\d.]+) ms", open(gcfile).read())]
print("GC: %d collections, %.0f ms of pauses" % (len(pauses), sum(pauses)))
PY
}

measure() { # size full(0/1)
  local size="$1" full="$2" label="$1"
  ensure_image "$size"
  warm_cache "$size"
  prepare_scanner "$size"
  maybe_wait_load
  local before; before="$(loadavg)"
  for ((r = 1; r <= runs; r++)); do
    run_scanner "$size" "$label"
    if [[ -n "$alt_opts" ]]; then
      run_scanner "$size" "$label" scanner2 "$alt_opts"
    fi
    if [[ $full -eq 1 ]]; then
      run_yara_pipeline "$size" "$label"
      run_floor "$size" "$label"
    fi
  done
  summarise "$size" "$label" "$full" "$before" "$(loadavg)"
}

echo "scanner jar: $SCANNER_JAR ($(sha256sum "$jar" | cut -c1-12), built $(date -r "$SCANNER_JAR" '+%F %T')); $("$JAVA" -version 2>&1 | head -n1); yara $(yara --version)"
if [[ -n "$size_a" ]]; then
  measure "$size_a" "$full_at_size"
else
  measure 500M 1
  if [[ $also_2g -eq 1 ]]; then
    measure 2G 0
  fi
fi
if [[ $(wc -l <"$work/rss.summary") -gt 1 ]]; then
  echo
  echo "== peak RSS by image size (memory must not grow with size) =="
  printf '%-8s %16s %12s %14s %10s\n' image "uncompressed MB" "gzip MB" "peak RSS MB" "wall s"
  while read -r label unc comp rss wall; do
    awk -v l="$label" -v u="$unc" -v c="$comp" -v r="$rss" -v w="$wall" \
      'BEGIN { printf "%-8s %16.1f %12.1f %14s %10s\n", l, u / 1e6, c / 1e6, r, w }'
  done <"$work/rss.summary"
fi
if [[ $profile -eq 1 ]]; then
  profile_scanner "${size_a:-500M}"
fi

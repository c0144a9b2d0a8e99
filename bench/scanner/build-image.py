#!/usr/bin/env python3
"""Builds an OCI image layout from real files of this machine, for the scanner benchmark.

Each layer draws from its own group of directories (base OS, runtimes, shared data, misc) and
takes files from those directories in turn, so every layer is a mix of ELF binaries, shared
libraries, jars, scripts, text and data rather than one directory cut off alphabetically.
When a layer's directories run out before its budget, the walk starts again under a
``bench-repeat-N/`` prefix (real bytes, repeated: only needed for very large sizes).

Layers are PAX tars (Python tarfile, real modes/owners/mtimes, hard links kept) compressed with
gzip(1) -6 -n, as docker/buildkit layers are. Everything is written under --out:
  oci-layout, index.json (tag in org.opencontainers.image.ref.name), blobs/sha256/*, bench-meta.json
Uses only the Python standard library and gzip.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import time

# (name, share of the total size, directories). Standard Debian locations only.
LAYER_PLAN = [
    ("base-os", 0.35, ["/usr/bin", "/usr/sbin", "/etc", "/usr/lib/x86_64-linux-gnu", "/usr/libexec",
                       "/usr/lib/gcc", "/usr/lib/llvm-14"]),
    ("runtimes", 0.30, ["/usr/lib/jvm", "/usr/lib/python3", "/usr/lib/python3.11", "/usr/lib/node_modules",
                        "/usr/lib/git-core"]),
    ("shared-data", 0.20, ["/usr/share", "/usr/include"]),
    ("misc", 0.15, ["/usr/lib/postgresql", "/usr/lib/google-cloud-sdk", "/usr/lib/valgrind", "/usr/lib/tcltk",
                    "/usr/lib/podman", "/usr/lib/systemd", "/usr/lib/apt", "/usr/lib/dpkg", "/usr/lib/file",
                    "/usr/lib/udev", "/usr/lib/firmware", "/usr/lib/locale"]),
]

BLOCK = 512


def tar_cost(size):
    """Approximate bytes an entry takes in a PAX tar (header + padded data)."""
    return BLOCK + (size + BLOCK - 1) // BLOCK * BLOCK


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().rstrip("B").rstrip("I")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def walk(root):
    """Yields (abs_path, lstat) for every dir, regular file and symlink under root, sorted."""
    try:
        top = os.lstat(root)
    except OSError:
        return
    if not stat.S_ISDIR(top.st_mode):
        return
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        subdirs = []
        for n in names:
            p = os.path.join(d, n)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode):
                yield p, st
                subdirs.append(p)
            elif stat.S_ISREG(st.st_mode):
                if os.access(p, os.R_OK):
                    yield p, st
            elif stat.S_ISLNK(st.st_mode):
                yield p, st
            # sockets, fifos, devices: not image content
        stack.extend(reversed(subdirs))


def select_layer(dirs, budget, used):
    """Picks entries from dirs, round-robin by bytes taken, until budget tar bytes.

    Returns a list of (arcname, abs_path) and the tar bytes counted. `used` holds abs paths already
    taken by earlier layers (a directory listed in two groups is not taken twice)."""
    iters = [(d, walk(d)) for d in dirs]
    taken = {d: 0 for d in dirs}
    entries = []
    total = 0
    repeat = 0
    while total < budget:
        live = [(d, it) for d, it in iters if it is not None]
        if not live:
            repeat += 1
            if repeat > 50:
                break
            iters = [(d, walk(d)) for d in dirs]
            continue
        d, it = min(live, key=lambda x: taken[x[0]])
        try:
            p, st = next(it)
        except StopIteration:
            iters = [(dd, None if dd == d else ii) for dd, ii in iters]
            continue
        if repeat == 0:
            if p in used:
                continue
            used.add(p)
        arc = p.lstrip("/") if repeat == 0 else "bench-repeat-%d/%s" % (repeat, p.lstrip("/"))
        cost = tar_cost(st.st_size) if stat.S_ISREG(st.st_mode) else BLOCK
        entries.append((arc, p))
        taken[d] += cost
        total += cost
    entries.sort(key=lambda e: e[0])
    return entries, total


class HashingWriter:
    """File-like sink that hashes and counts what tarfile writes, then passes it on."""

    def __init__(self, out):
        self.out = out
        self.sha = hashlib.sha256()
        self.count = 0

    def write(self, data):
        self.sha.update(data)
        self.count += len(data)
        self.out.write(data)
        return len(data)

    def flush(self):
        self.out.flush()


def write_layer(blobs, index, name, entries, level):
    tmp = os.path.join(blobs, "layer-%d.tmp" % index)
    with open(tmp, "wb") as gz_out:
        gz = subprocess.Popen(["gzip", "-%d" % level, "-n", "-c"], stdin=subprocess.PIPE, stdout=gz_out,
                              bufsize=1 << 20)
        sink = HashingWriter(gz.stdin)
        files = 0
        with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT, bufsize=1 << 20) as tar:
            for arc, path in entries:
                try:
                    info = tar.gettarinfo(path, arcname=arc)
                except OSError:
                    continue
                if info is None:
                    continue
                if info.isreg():
                    try:
                        with open(path, "rb") as f:
                            tar.addfile(info, f)
                        files += 1
                    except OSError:
                        continue
                else:
                    tar.addfile(info)
        gz.stdin.close()
        if gz.wait() != 0:
            raise SystemExit("gzip failed for layer %d" % index)
    sha = hashlib.sha256()
    with open(tmp, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            sha.update(chunk)
    digest = sha.hexdigest()
    size = os.path.getsize(tmp)
    os.replace(tmp, os.path.join(blobs, digest))
    return {"index": index, "name": name, "digest": "sha256:" + digest, "size": size,
            "diffId": "sha256:" + sink.sha.hexdigest(), "uncompressed": sink.count, "files": files,
            "entries": len(entries)}


def put_json(blobs, doc):
    data = json.dumps(doc, indent=2, sort_keys=True).encode()
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", default="500M", help="uncompressed target, e.g. 500M, 2G")
    ap.add_argument("--tag", default="bench")
    ap.add_argument("--level", type=int, default=6, help="gzip level")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()

    target = parse_size(args.size)
    out = os.path.abspath(args.out)
    if os.path.exists(out):
        shutil.rmtree(out)
    blobs = os.path.join(out, "blobs", "sha256")
    os.makedirs(blobs)
    started = time.time()

    used = set()
    plans = []
    for i, (name, share, dirs) in enumerate(LAYER_PLAN):
        entries, counted = select_layer(dirs, int(target * share), used)
        plans.append((i, name, entries))
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(write_layer, blobs, i, name, entries, args.level) for i, name, entries in plans]
        layers = [f.result() for f in futures]

    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"],
            "Cmd": ["/bin/bash"],
            "WorkingDir": "/",
            "Labels": {"org.opencontainers.image.title": "palisade scanner benchmark image"},
        },
        "rootfs": {"type": "layers", "diff_ids": [l["diffId"] for l in layers]},
        "history": [{"created": "1970-01-01T00:00:00Z",
                     "created_by": "palisade bench: COPY %s files (%s)" % (l["name"], ", ".join(LAYER_PLAN[l["index"]][2][:3]))}
                    for l in layers],
    }
    cfg_digest, cfg_size = put_json(blobs, config)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_digest, "size": cfg_size},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": l["digest"],
                    "size": l["size"]} for l in layers],
    }
    man_digest, man_size = put_json(blobs, manifest)
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": man_digest,
                       "size": man_size, "platform": {"architecture": "amd64", "os": "linux"},
                       "annotations": {"org.opencontainers.image.ref.name": args.tag}}],
    }
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f, indent=2)
    with open(os.path.join(out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    meta = {
        "target": target, "tag": args.tag, "manifest": man_digest, "config": cfg_digest,
        "uncompressed": sum(l["uncompressed"] for l in layers),
        "compressed": sum(l["size"] for l in layers),
        "files": sum(l["files"] for l in layers),
        "repeatedEntries": sum(1 for _, _, es in plans for a, _ in es if a.startswith("bench-repeat-")),
        "layers": layers, "buildSeconds": round(time.time() - started, 1),
    }
    with open(os.path.join(out, "bench-meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    print(json.dumps({k: meta[k] for k in ("uncompressed", "compressed", "files", "repeatedEntries", "buildSeconds")}))


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Throughput and peak memory of `dossier build` over one large WARC file.

The WARC is generated from the article-extraction benchmark pages, repeated with distinct
target URIs until it reaches --size-mb of compressed file, one gzip member per record as
Common Crawl writes them, with a few non-response records mixed in (request and metadata
records, which dossier must skip). It is written under --work (default: the system's temp
folder) and reused when the same size is asked again.

    cargo build --release && python3 bench/warc/run.py --size-mb 1024
"""
import argparse
import gzip
import io
import os
import pathlib
import subprocess
import sys
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGES = ROOT.parent / "shared" / "data" / "extraction-aeb" / "dev" / "html"


def record(kind: str, uri: str, body: bytes, date: str) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        f"WARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\n"
        f"Content-Type: application/http; msgtype={'response' if kind == 'response' else 'request'}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=6) as z:
        z.write(head + body + b"\r\n\r\n")
    return buf.getvalue()


def generate(path: pathlib.Path, size_mb: int) -> tuple[int, int]:
    pages = []
    for p in sorted(PAGES.iterdir()):
        data = p.read_bytes()
        if p.suffix == ".gz":
            data = gzip.decompress(data)
        pages.append(data)
    if not pages:
        sys.exit(f"no pages in {PAGES}")
    target = size_mb * 1_000_000
    written = responses = raw = 0
    tmp = path.with_suffix(".partial")
    with open(tmp, "wb") as out:
        n = 0
        while written < target:
            page = pages[n % len(pages)]
            uri = f"https://news.bench.invalid/{n // len(pages)}/{n % len(pages)}"
            http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    + f"Content-Length: {len(page)}\r\n\r\n".encode() + page)
            date = f"2024-03-{1 + n % 28:02d}T12:00:00Z"
            if n % 10 == 0:
                chunk = record("request", uri, f"GET /{n} HTTP/1.1\r\nHost: news.bench.invalid\r\n\r\n".encode(), date)
                out.write(chunk)
                written += len(chunk)
            chunk = record("response", uri, http, date)
            out.write(chunk)
            written += len(chunk)
            raw += len(http)
            responses += 1
            n += 1
            if n % 2000 == 0:
                print(f"\rgenerating: {written / 1e6:.0f} of {size_mb} MB", end="", file=sys.stderr)
    tmp.rename(path)
    print(file=sys.stderr)
    return responses, raw


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=int, default=1024, help="compressed size of the WARC (MB)")
    ap.add_argument("--work", type=pathlib.Path, default=pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / "dossier-warc-bench")
    ap.add_argument("--dossier", default=str(ROOT / "target" / "release" / "dossier"))
    ap.add_argument("--entities", action="store_true", help="run the NER model too (much slower)")
    ap.add_argument("--claims", action="store_true", help="run the claims stage too (much slower)")
    args = ap.parse_args()
    if not pathlib.Path(args.dossier).exists():
        sys.exit(f"no dossier binary at {args.dossier}: run `cargo build --release` first")
    args.work.mkdir(parents=True, exist_ok=True)
    warc = args.work / f"bench-{args.size_mb}mb.warc.gz"
    if not warc.exists():
        generate(warc, args.size_mb)
    size = warc.stat().st_size
    with gzip.open(warc, "rb") as z:
        raw = sum(len(chunk) for chunk in iter(lambda: z.read(1 << 20), b""))
    out = args.work / "out"
    cmd = [args.dossier, "build", str(warc), "--out", str(out), "--quiet"]
    if not args.entities:
        cmd.append("--no-entities")
    if not args.claims:
        cmd.append("--no-claims")
    print("running:", " ".join(cmd), file=sys.stderr)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    # wait4 gives this child's own peak RSS and CPU time.
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"dossier build failed:\n{err[-2000:]}")
    import json

    with open(out / "dossier.json") as f:
        d = json.load(f)
    pages = len(d["reports"])
    print(f"\n{warc.name}: {size / 1e6:.0f} MB compressed, {raw / 1e6:.0f} MB uncompressed; "
          f"{os.cpu_count()} cores\n")
    print("| run | wall s | MB/s (file) | MB/s (uncompressed) | pages/s | reports | stories | CPU s | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    flags = ("" if args.entities else " --no-entities") + ("" if args.claims else " --no-claims")
    print(f"| dossier build{flags} | {wall:.1f} | {size / 1e6 / wall:.1f} | "
          f"{raw / 1e6 / wall:.1f} | {pages / wall:.0f} | {pages} | {len(d['stories'])} | "
          f"{usage.ru_utime + usage.ru_stime:.1f} | {usage.ru_maxrss / 1024:.0f} |")
    warnings = [l for l in err.splitlines() if "warning" in l]
    if warnings:
        print(f"\n{len(warnings)} warnings, first: {warnings[0]}")


if __name__ == "__main__":
    main()

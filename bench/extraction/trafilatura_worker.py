#!/usr/bin/env python3
"""Runs Python trafilatura over the benchmark pages, for run.py.

Usage: trafilatura_worker.py HTML_DIR URLS_JSON OUT_JSON

It runs as a child process of run.py (pinned by it to one core) so that its peak RSS is that of
a process doing nothing but the extraction, comparable with dossier's whole-process figure, and
not inflated by the harness's own copies of the peer outputs.
"""

import importlib.metadata
import json
import resource
import sys
import time
from pathlib import Path


def main() -> None:
    html_dir, urls_json, out_json = (Path(a) for a in sys.argv[1:4])
    urls = json.loads(urls_json.read_text(encoding="utf-8"))

    t0 = time.perf_counter()
    import trafilatura

    import_s = time.perf_counter() - t0

    # Read every page before timing so the loop measures extraction, not disk.
    pages = {pid: (html_dir / f"{pid}.html").read_text(encoding="utf-8") for pid in urls}
    rss_before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    outputs, errors = {}, {}
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for pid, html in pages.items():
        try:
            # Default settings, as a user would call it; the URL helps trafilatura's
            # site-specific rules and metadata. (The benchmark's own runner passed no URL and
            # include_comments=False.)
            outputs[pid] = trafilatura.extract(html, url=urls[pid]) or ""
        except Exception as exc:  # one bad page must not lose the whole run
            outputs[pid] = ""
            errors[pid] = repr(exc)
    wall_s, cpu_s = time.perf_counter() - wall0, time.process_time() - cpu0

    out_json.write_text(
        json.dumps(
            {
                "version": importlib.metadata.version("trafilatura"),
                "outputs": outputs,
                "errors": errors,
                "wall_s": wall_s,
                "cpu_s": cpu_s,
                "import_s": import_s,
                # ru_maxrss is KiB on Linux and a high-water mark: the peak of the whole process
                # (interpreter, lxml, all pages in memory, extraction).
                "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "rss_before_loop_kib": rss_before_kib,
            }
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Runs each fuzz target for a bounded time: fuzz/run.sh [SECONDS per target, default 60].
# Installs cargo-fuzz when missing. Uses the nightly toolchain when there is one, else stable
# with RUSTC_BOOTSTRAP=1 (cargo-fuzz needs nightly-only flags). Crashes are written under
# fuzz/artifacts/TARGET/; replay one with `cargo +nightly fuzz run TARGET FILE`.
#
# No sanitizer (-s none): the code under test is safe Rust, where the finds are panics, stack
# overflows, hangs and runaway memory, which libFuzzer catches without one; a sanitizer build
# of the whole dependency tree takes much longer.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    toolchain=(+nightly)
else
    export RUSTC_BOOTSTRAP=1
fi
status=0
for target in warc html jsonl text; do
    mkdir -p "corpus/$target"
    cargo "${toolchain[@]}" fuzz run -s none "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 || status=1
done
exit $status

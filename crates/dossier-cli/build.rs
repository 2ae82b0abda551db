//! Links `dossier` as a position-dependent executable on Linux.
//!
//! As a position-independent one, the dynamic loader patched some 65,000 pointers in 1.3 MB of
//! tables at every start, taking a page fault for each page it wrote: `dossier --version` took
//! 2.2 ms of CPU time and 476 page faults instead of 1.1 ms and 126, and a `dossier summarize`
//! of one DUC cluster 500 page faults instead of 200. The libraries are still compiled as
//! position-independent code, so nothing else of the build changes; the cost is that the
//! executable's own code always loads at the same address (the stack, heap and shared
//! libraries are still placed at random).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

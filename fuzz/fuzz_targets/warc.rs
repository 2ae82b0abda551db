//! Any bytes as a web archive, plain or gzipped: every record must come to a page, a passed
//! record or a named refusal; never a panic or a hang.
#![no_main]

use dossier::ingest::archive::{Item, Records};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // libfuzzer-sys aborts from its panic hook, before a panic the reader catches on purpose
    // (around the warc crate's header unwrap) could be caught. The standard hook lets it be
    // caught; a panic that escapes still aborts the run, as libfuzzer-sys checks for it.
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| drop(std::panic::take_hook()));
    // A small page limit, so that the size checks are reached by small inputs too.
    let Ok(records) = Records::open(data, 4096) else {
        return;
    };
    for item in records {
        if let Item::Page(page) = item {
            assert!(page.html.len() <= 4096 * 4, "page over the limit");
        }
    }
});

//! dossier: many news reports about the same events in, one cited story per event out.
//!
//! One pipeline, one direction, one module per stage:
//! [`ingest`] -> [`extract`] -> [`clean`] -> [`segment`] -> [`analyse`] (stories, reuse) ->
//! [`summarise`] -> [`render`]. [`pipeline`] wires them; [`model`] holds the [`Dossier`] that
//! every output is rendered from.
//!
//! [`times`] finds and resolves time expressions, for the timeline and `dossier times`.
//!
//! For a live service, [`store`] keeps accepted reports and stories in SQLite and [`stream`]
//! analyses them incrementally, story by story, with the same stages.

pub mod analyse;
pub mod clean;
pub mod embed;
pub mod extract;
pub mod guard;
pub mod ingest;
pub mod model;
pub mod ner;
pub mod nli;
pub mod pipeline;
pub mod render;
pub mod segment;
pub mod stance;
pub mod store;
pub mod stream;
pub mod summarise;
pub mod text;
pub mod times;
pub mod timings;

pub use model::Dossier;

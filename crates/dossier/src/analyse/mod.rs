//! Analyse: the cross-report stages. Each is a function of reports (and earlier analysis) to
//! its own typed output, so a stage can be replaced without touching the others.
//!
//! - [`cluster`]: which reports are about the same event (stories);
//! - [`reuse`]: which sentences were copied between the reports of a story.

pub mod cluster;
pub mod reuse;

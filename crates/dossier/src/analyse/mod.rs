//! Analyse: the cross-report stages. Each is a function of reports (and earlier analysis) to
//! its own typed output, so a stage can be replaced without touching the others.
//!
//! - [`cluster`]: which reports are about the same event (stories);
//! - [`reuse`]: which sentences were copied between the reports of a story;
//! - [`entities`]: who and what the story names, each once across spellings;
//! - [`quotes`]: direct quotations and who said them;
//! - [`timeline`]: what happened when.

pub mod cluster;
pub mod entities;
pub mod quotes;
pub mod reuse;
pub mod timeline;

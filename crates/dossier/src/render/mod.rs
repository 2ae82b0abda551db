//! Render: the [`Dossier`](crate::Dossier) to its output formats. Renderers read the model
//! only; report text is untrusted and every renderer escapes it for its format.

pub mod html;
pub mod json;
pub mod summary;

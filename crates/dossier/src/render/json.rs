//! `dossier.json`: the model serialised as is (the model's field names are the contract).

use crate::Dossier;

pub fn to_string(dossier: &Dossier) -> String {
    serde_json::to_string_pretty(dossier).expect("the model always serialises")
}

/// [`to_string`] into a writer, without holding the document in memory.
pub fn write(dossier: &Dossier, to: impl std::io::Write) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(to, dossier)
}

//! `dossier.json`: the model serialised as is (the model's field names are the contract).

use crate::model::{Items, Report, Story, CONTRACT_VERSION};
use crate::Dossier;
use serde::ser::{Error, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

pub fn to_string(dossier: &Dossier) -> String {
    serde_json::to_string_pretty(dossier).expect("the model always serialises")
}

/// [`to_string`] into a writer, without holding the document in memory.
pub fn write(dossier: &Dossier, to: impl std::io::Write) -> serde_json::Result<()> {
    write_parts(&dossier.reports, &dossier.stories, to)
}

/// [`write`] of a dossier whose reports and stories are read one at a time (from disk, for a
/// big pile); the same document as the [`Dossier`] they make.
pub fn write_parts(
    reports: &dyn Items<Report>,
    stories: &dyn Items<Story>,
    to: impl std::io::Write,
) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(to, &Parts { reports, stories })
}

/// Serialises as [`Dossier`] does (its fields, in its order).
struct Parts<'a> {
    reports: &'a dyn Items<Report>,
    stories: &'a dyn Items<Story>,
}

struct Each<'a, T: Clone>(&'a dyn Items<T>);

impl Serialize for Parts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut dossier = serializer.serialize_struct("Dossier", 3)?;
        dossier.serialize_field("version", &CONTRACT_VERSION)?;
        dossier.serialize_field("reports", &Each(self.reports))?;
        dossier.serialize_field("stories", &Each(self.stories))?;
        dossier.end()
    }
}

impl<T: Clone + Serialize> Serialize for Each<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for i in 0..self.0.len() {
            let item = self.0.get(i).map_err(S::Error::custom)?;
            seq.serialize_element(&*item)?;
        }
        seq.end()
    }
}

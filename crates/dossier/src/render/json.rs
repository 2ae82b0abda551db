//! `dossier.json`: the model serialised as is (the model's field names are the contract).

use crate::Dossier;

pub fn to_string(dossier: &Dossier) -> String {
    serde_json::to_string_pretty(dossier).expect("the model always serialises")
}

//! Readers for stance files in the form of FNC-1 (`../shared/data/fnc1/`): bodies as
//! `{"body_id", "body"}` JSON lines, pairs as `{"id", "headline", "body_id"}` with an optional
//! gold `stance`. Other fields are ignored. Errors name the line, so that a caller can name
//! the file.

use super::Stance;
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Body {
    pub body_id: u64,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct PairRow {
    /// The pair's 1-based line in its file, for messages about it.
    pub line: usize,
    /// The id as written (a number or a string), echoed in the output.
    pub id: Value,
    pub headline: String,
    pub body_id: u64,
    /// The gold stance, when the file has one.
    pub stance: Option<Stance>,
}

/// A line that could not be read, with its 1-based number.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

pub fn read_bodies(jsonl: &str) -> Result<Vec<Body>, LineError> {
    rows(jsonl)
        .map(|(line, v)| {
            let v = v?;
            Ok(Body {
                body_id: id_field(&v, "body_id", line)?,
                body: str_field(&v, "body", line)?,
            })
        })
        .collect()
}

pub fn read_pairs(jsonl: &str) -> Result<Vec<PairRow>, LineError> {
    rows(jsonl)
        .map(|(line, v)| {
            let v = v?;
            let id = match &v["id"] {
                Value::Null => return Err(missing(line, "id")),
                id => id.clone(),
            };
            let stance = match v.get("stance").and_then(Value::as_str) {
                None => None,
                Some(s) => Some(Stance::parse(s).ok_or_else(|| LineError {
                    line,
                    message: format!("unknown stance {s:?} (agree, disagree, discuss, unrelated)"),
                })?),
            };
            Ok(PairRow {
                line,
                id,
                headline: str_field(&v, "headline", line)?,
                body_id: id_field(&v, "body_id", line)?,
                stance,
            })
        })
        .collect()
}

/// The non-blank lines of a JSON Lines text, parsed, with their line numbers.
fn rows(jsonl: &str) -> impl Iterator<Item = (usize, Result<Value, LineError>)> + '_ {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            let parsed = serde_json::from_str::<Value>(l).map_err(|e| LineError {
                line: n + 1,
                message: format!("not JSON: {e}"),
            });
            let object = parsed.and_then(|v| {
                if v.is_object() {
                    Ok(v)
                } else {
                    Err(LineError {
                        line: n + 1,
                        message: "not a JSON object".into(),
                    })
                }
            });
            (n + 1, object)
        })
}

fn missing(line: usize, key: &str) -> LineError {
    LineError {
        line,
        message: format!("no \"{key}\""),
    }
}

fn str_field(v: &Value, key: &str, line: usize) -> Result<String, LineError> {
    match &v[key] {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Err(missing(line, key)),
        _ => Err(LineError {
            line,
            message: format!("\"{key}\" is not a string"),
        }),
    }
}

/// FNC-1 writes ids as numbers; a string of digits is accepted too.
fn id_field(v: &Value, key: &str, line: usize) -> Result<u64, LineError> {
    match &v[key] {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Null => return Err(missing(line, key)),
        _ => None,
    }
    .ok_or_else(|| LineError {
        line,
        message: format!("\"{key}\" is not a whole number"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pairs_and_names_the_bad_line() {
        let good = r#"{"id": 7, "headline": "Hundreds flee floods in Gaza", "body_id": 158, "stance": "agree"}"#;
        let rows = read_pairs(&format!("{good}\n\n{{\"id\": 8, \"headline\": \"x\"}}\n"));
        assert_eq!(
            rows.unwrap_err(),
            LineError {
                line: 3,
                message: "no \"body_id\"".into()
            }
        );
        let rows = read_pairs(good).unwrap();
        assert_eq!(rows[0].body_id, 158);
        assert_eq!(rows[0].stance, Some(Stance::Agree));
        assert!(
            read_pairs(r#"{"id": 1, "headline": "a", "body_id": 2, "stance": "maybe"}"#)
                .unwrap_err()
                .message
                .contains("unknown stance")
        );
    }

    #[test]
    fn reads_bodies_and_rejects_text_that_is_not_json() {
        let bodies =
            read_bodies("{\"body_id\": \"12\", \"body\": \"A meteorite fell.\"}\n").unwrap();
        assert_eq!(bodies[0].body_id, 12);
        let err = read_bodies("body_id,body\n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.message.starts_with("not JSON"), "{err}");
    }
}

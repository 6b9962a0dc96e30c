//! Reading JSON exports: a cheap first pass that learns the document's shape, then typed
//! deserialization, with serde_json's errors turned into [`ImportError`]s.
//!
//! The first pass visits every value (rather than skipping with `IgnoredAny`, which serde_json
//! does without counting depth) so that serde_json's recursion limit of 128 refuses absurdly
//! deep documents before anything else reads them.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{ImportError, SourceFormat, detect};

/// Whether the text starts like a JSON document (an object or an array).
pub(super) fn looks_like_json(source: &str) -> bool {
    let mut rest = source.trim_start().chars();
    match rest.next() {
        Some('{') => true,
        // Markdown starts with `[` too (`[![badge]…`, `[link]: …`); a JSON array's first
        // value cannot start with a letter, `!` or `^`.
        Some('[') => rest
            .find(|c| !c.is_whitespace())
            .is_none_or(|c| matches!(c, '{' | '[' | ']' | '"' | '-' | '0'..='9')),
        _ => false,
    }
}

/// The top level of a JSON document: its kind and, for an object, each key with the kind of
/// its value. Values are visited but not built, so probing a 30 MB export is cheap.
#[derive(Debug)]
pub(super) struct Probe {
    pub shape: Shape,
    pub keys: Vec<(String, Shape)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Object,
    Array,
    Scalar,
}

impl Probe {
    pub(super) fn has_array(&self, key: &str) -> bool {
        self.keys
            .iter()
            .any(|(k, s)| k == key && *s == Shape::Array)
    }
}

/// Reads the shape of a JSON document; `format` names the file in error messages.
pub(super) fn probe(source: &str, format: Option<SourceFormat>) -> Result<Probe, ImportError> {
    serde_json::from_str::<Probe>(source).map_err(|err| json_error(&err, format))
}

/// Reads a JSON export of `format` into `T`, after checking that it is that format at all.
pub(super) fn parse<T: DeserializeOwned>(
    source: &str,
    format: SourceFormat,
) -> Result<T, ImportError> {
    if !looks_like_json(source) {
        return Err(wrong_format(source, format));
    }
    let probe = probe(source, Some(format))?;
    if probe.format() != Some(format) {
        return Err(ImportError::WrongFormat {
            expected: format,
            detected: probe.format(),
        });
    }
    serde_json::from_str::<T>(source).map_err(|err| json_error(&err, Some(format)))
}

fn wrong_format(source: &str, expected: SourceFormat) -> ImportError {
    ImportError::WrongFormat {
        expected,
        detected: detect(source),
    }
}

fn json_error(err: &serde_json::Error, format: Option<SourceFormat>) -> ImportError {
    // serde_json counts columns from 0 at the start of a line; people count from 1.
    let (line, column) = (err.line(), err.column().max(1));
    // serde_json appends the position to its message; it is reported separately here.
    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    match err.classify() {
        serde_json::error::Category::Eof => ImportError::Truncated {
            format,
            line,
            column,
        },
        // serde_json has no public error code; its message is the only way to tell this one.
        serde_json::error::Category::Syntax if message.contains("recursion limit") => {
            ImportError::TooDeep
        }
        serde_json::error::Category::Data => match format {
            Some(format) => ImportError::Invalid {
                format,
                reason: format!("{message} (line {line}, column {column})"),
            },
            None => ImportError::Unrecognised,
        },
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
            ImportError::Json {
                format,
                line,
                column,
                message,
            }
        }
    }
}

/// One visitor for both the top level (which records keys) and the values under it (which
/// only record their kind).
struct ShapeVisitor {
    record_keys: bool,
}

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Probe;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
        let mut keys = Vec::new();
        if self.record_keys {
            while let Some(key) = map.next_key::<String>()? {
                let value = map.next_value_seed(ShapeSeed)?;
                keys.push((key, value.shape));
            }
        } else {
            while map.next_key::<IgnoredAny>()?.is_some() {
                map.next_value_seed(ShapeSeed)?;
            }
        }
        Ok(Probe {
            shape: Shape::Object,
            keys,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Probe, A::Error> {
        while seq.next_element_seed(ShapeSeed)?.is_some() {}
        Ok(scalar(Shape::Array))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Probe, E> {
        Ok(scalar(Shape::Scalar))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Probe, E> {
        Ok(scalar(Shape::Scalar))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Probe, E> {
        Ok(scalar(Shape::Scalar))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Probe, E> {
        Ok(scalar(Shape::Scalar))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Probe, E> {
        Ok(scalar(Shape::Scalar))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Probe, E> {
        Ok(scalar(Shape::Scalar))
    }
}

fn scalar(shape: Shape) -> Probe {
    Probe {
        shape,
        keys: Vec::new(),
    }
}

/// Deserializes a value under the top level, recording only its kind.
struct ShapeSeed;

impl<'de> de::DeserializeSeed<'de> for ShapeSeed {
    type Value = Probe;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Probe, D::Error> {
        deserializer.deserialize_any(ShapeVisitor { record_keys: false })
    }
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Probe, D::Error> {
        deserializer.deserialize_any(ShapeVisitor { record_keys: true })
    }
}

//! Turning other tools' exports into curricula: a curriculum TOML file, a Trello board export,
//! a Markdown checklist (OSSU-style) and a roadmap.sh JSON file.
//!
//! Everything here works on bytes already read: no IO. Each importer fills a `Draft`, which
//! gives every item a unique id, a kind and an estimate (a guess where the source has none),
//! so that every successful import passes [`validate`] and survives a TOML round trip.
//! Hostile input is refused with an [`ImportError`] that says what to do, never a panic.

mod detect;
mod draft;
mod error;
mod estimate;
mod json;
mod kind;
mod markdown;
mod roadmap;
mod trello;

use std::fmt;
use std::str::FromStr;

use crate::curriculum::{Curriculum, check_toml, validate};

pub use detect::detect;
pub use error::{ImportError, UnknownSourceFormat};
pub use kind::guess_kind;

/// The largest input accepted, in bytes; larger inputs are refused before they are parsed.
pub const MAX_IMPORT_BYTES: usize = 32 * 1024 * 1024;

/// The formats an import can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    Toml,
    Trello,
    Markdown,
    Roadmapsh,
}

impl SourceFormat {
    pub const ALL: [SourceFormat; 4] = [
        SourceFormat::Toml,
        SourceFormat::Trello,
        SourceFormat::Markdown,
        SourceFormat::Roadmapsh,
    ];

    /// The name used on the command line (`--from trello`) and in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Toml => "toml",
            SourceFormat::Trello => "trello",
            SourceFormat::Markdown => "markdown",
            SourceFormat::Roadmapsh => "roadmapsh",
        }
    }

    /// What a file of this format is, for messages: "a Trello board export".
    fn describe(self) -> &'static str {
        match self {
            SourceFormat::Toml => "a curriculum TOML file",
            SourceFormat::Trello => "a Trello board export",
            SourceFormat::Markdown => "a Markdown checklist",
            SourceFormat::Roadmapsh => "a roadmap.sh JSON file",
        }
    }

    /// What a file of this format looks like, for messages about the wrong format.
    fn shape(self) -> &'static str {
        match self {
            SourceFormat::Toml => "a TOML file with a top-level `title` and `[[phases]]`",
            SourceFormat::Trello => {
                "a JSON object with `lists` and `cards`, as Trello's \"Export as JSON\" writes it"
            }
            SourceFormat::Markdown => {
                "Markdown with checklist lines (`- [ ] [Title](https://…)`), list items that are links, or a table whose first column holds links"
            }
            SourceFormat::Roadmapsh => "a JSON object with a `nodes` array",
        }
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SourceFormat {
    type Err = UnknownSourceFormat;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let lower = raw.trim().to_ascii_lowercase();
        let alias = match lower.as_str() {
            "md" => "markdown",
            "roadmap" | "roadmap.sh" => "roadmapsh",
            other => other,
        };
        SourceFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == alias)
            .ok_or_else(|| UnknownSourceFormat {
                given: raw.to_owned(),
            })
    }
}

/// A successful import: a valid curriculum and remarks for the person importing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub curriculum: Curriculum,
    pub format: SourceFormat,
    /// Human-readable remarks: what was skipped, which estimates are guesses.
    pub notes: Vec<String>,
    /// The progress the source records (done, or in progress), by item: a learner's board
    /// starts that way when they follow the imported curriculum.
    pub progress: Vec<(crate::curriculum::ItemId, crate::store::ItemStatus)>,
}

/// Imports `bytes` as `format`, or as the detected format when `format` is `None`.
/// `fallback_title` names the curriculum (and the first phase) when the source has no title,
/// usually the file name without its extension.
pub fn import_bytes(
    bytes: &[u8],
    format: Option<SourceFormat>,
    fallback_title: &str,
) -> Result<Imported, ImportError> {
    // The size check comes first so that no parser ever sees an oversized input.
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_IMPORT_BYTES,
        });
    }
    let source = std::str::from_utf8(bytes).map_err(|_| ImportError::NotUtf8)?;
    // Editors on Windows write a byte-order mark; no parser here expects one.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let fallback_title = fallback_title.trim();
    let fallback_title = if fallback_title.is_empty() {
        "Imported curriculum"
    } else {
        fallback_title
    };
    let format = match format {
        Some(format) => format,
        None => detect::sniff(source)?,
    };
    let imported = match format {
        SourceFormat::Toml => import_toml(source)?,
        SourceFormat::Trello => trello::import(source, fallback_title)?,
        SourceFormat::Markdown => import_markdown(source, fallback_title)?,
        SourceFormat::Roadmapsh => roadmap::import(source, fallback_title)?,
    };
    ensure_valid(imported)
}

fn import_toml(source: &str) -> Result<Imported, ImportError> {
    refuse_json_export(detect(source), SourceFormat::Toml)?;
    let checked = check_toml(source);
    let place = |d: &crate::curriculum::Diagnostic| {
        format!("line {}, column {}: {}", d.line, d.column, d.message)
    };
    let notes = checked.warnings().map(place).collect();
    match checked.curriculum {
        Some(curriculum) => Ok(Imported {
            curriculum,
            format: SourceFormat::Toml,
            notes,
            progress: Vec::new(),
        }),
        None => Err(ImportError::CurriculumProblems(
            checked.errors().map(place).collect(),
        )),
    }
}

fn import_markdown(source: &str, fallback_title: &str) -> Result<Imported, ImportError> {
    let detected = detect(source);
    refuse_json_export(detected, SourceFormat::Markdown)?;
    let wrong_format = ImportError::WrongFormat {
        expected: SourceFormat::Markdown,
        detected,
    };
    // A curriculum file's notes may hold checklists, which would import as nonsense items.
    if detected == Some(SourceFormat::Toml) && check_toml(source).curriculum.is_some() {
        return Err(wrong_format);
    }
    match markdown::import(source, fallback_title) {
        // Nothing learnable in "Markdown" that is really something else: say what it is.
        Err(ImportError::Empty { .. }) if detected.is_some_and(|f| f != SourceFormat::Markdown) => {
            Err(wrong_format)
        }
        result => result,
    }
}

/// Refuses a Trello or roadmap.sh export given to a text importer, which would otherwise
/// report a confusing syntax error or import nothing.
fn refuse_json_export(
    detected: Option<SourceFormat>,
    expected: SourceFormat,
) -> Result<(), ImportError> {
    match detected {
        Some(found @ (SourceFormat::Trello | SourceFormat::Roadmapsh)) => {
            Err(ImportError::WrongFormat {
                expected,
                detected: Some(found),
            })
        }
        _ => Ok(()),
    }
}

/// The last line of defence: an importer bug must surface as an error, never as an invalid
/// curriculum in someone's account.
fn ensure_valid(imported: Imported) -> Result<Imported, ImportError> {
    let errors: Vec<String> = validate(&imported.curriculum)
        .into_iter()
        .filter(|p| p.is_error())
        .map(|p| p.kind.to_string())
        .collect();
    if errors.is_empty() {
        Ok(imported)
    } else {
        Err(ImportError::CurriculumProblems(errors))
    }
}

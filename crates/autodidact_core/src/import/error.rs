//! Why an import was refused. Each message says what is wrong and what to do about it.

use super::SourceFormat;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(
        "the file is {}, more than the {} limit for imports: export a smaller part, or split the file",
        megabytes(*bytes),
        megabytes(*limit)
    )]
    TooLarge { bytes: usize, limit: usize },

    #[error("the file is not UTF-8 text: save or export it again as UTF-8 and retry")]
    NotUtf8,

    #[error(
        "could not tell the format: it is not a Trello board export, a roadmap.sh JSON file, a curriculum TOML file or a Markdown checklist; if it is one of these, pass --from toml, trello, markdown or roadmapsh"
    )]
    Unrecognised,

    #[error(
        "this is not {}: expected {}{}",
        expected.describe(),
        expected.shape(),
        detected_hint(*detected)
    )]
    WrongFormat {
        expected: SourceFormat,
        detected: Option<SourceFormat>,
    },

    #[error(
        "{} is not valid JSON: {message} at line {line}, column {column}; export the file again, or check that it is the right file",
        subject(*format)
    )]
    Json {
        format: Option<SourceFormat>,
        line: usize,
        column: usize,
        message: String,
    },

    #[error(
        "this looks like truncated JSON: it ends at line {line}, column {column} before the document is closed; download or export {} again",
        subject(*format)
    )]
    Truncated {
        format: Option<SourceFormat>,
        line: usize,
        column: usize,
    },

    #[error(
        "the JSON is nested more than 128 levels deep, deeper than any real export: check that this is the right file"
    )]
    TooDeep,

    #[error(
        "{} does not have the expected shape: {reason}; export it again, or check that it is the right file",
        subject(Some(*format))
    )]
    Invalid {
        format: SourceFormat,
        reason: String,
    },

    #[error("{}", empty_message(*format))]
    Empty { format: SourceFormat },

    #[error(
        "the curriculum has {}, so nothing was imported: {}; fix {} and import again",
        count(self.problem_count(), "problem", "problems"),
        .0.join("; "),
        if self.problem_count() == 1 { "it" } else { "them" }
    )]
    CurriculumProblems(Vec<String>),
}

impl ImportError {
    fn problem_count(&self) -> usize {
        match self {
            ImportError::CurriculumProblems(problems) => problems.len(),
            _ => 0,
        }
    }
}

/// A format name that is not one of [`SourceFormat::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{given}` is not an import format: use toml, trello, markdown or roadmapsh")]
pub struct UnknownSourceFormat {
    pub given: String,
}

/// `210 MB`, `32.1 MB`: rounded up so that a file just over the limit never reads as equal.
fn megabytes(bytes: usize) -> String {
    const MB: u64 = 1024 * 1024;
    let tenths = (bytes as u64 * 10).div_ceil(MB);
    if tenths.is_multiple_of(10) || tenths >= 1000 {
        format!("{} MB", tenths.div_ceil(10))
    } else {
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

fn subject(format: Option<SourceFormat>) -> String {
    match format {
        Some(format) => format!("the {}", format.describe().trim_start_matches("a ")),
        None => "the file".to_owned(),
    }
}

fn detected_hint(detected: Option<SourceFormat>) -> String {
    match detected {
        Some(found) => format!(
            ", and this looks like {}: pass --from {found} instead",
            found.describe()
        ),
        None => ", and this is not: check that it is the right file".to_owned(),
    }
}

fn empty_message(format: SourceFormat) -> &'static str {
    match format {
        SourceFormat::Trello => {
            "the Trello board has no open cards, so there is nothing to import: unarchive the cards you want, or export another board"
        }
        SourceFormat::Markdown => {
            "found nothing to import in the Markdown: write checklist lines like `- [ ] [Title](https://…)`, list items that are links, or a table whose first column holds links"
        }
        SourceFormat::Roadmapsh => {
            "the roadmap has no topic, subtopic or todo nodes, so there is nothing to import: check that this is a roadmap.sh roadmap file"
        }
        SourceFormat::Toml => {
            "the curriculum has no items: add a [[phases]] table with at least one [[phases.items]]"
        }
    }
}

/// `1 card`, `3 cards`.
pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

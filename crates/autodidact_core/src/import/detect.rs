//! Telling the formats apart from their content, without trusting a file name.

use super::json::{self, Probe};
use super::{ImportError, SourceFormat};

/// The format of `source`, or `None` when it is none of the known ones.
///
/// A JSON object with `lists` and `cards` is a Trello board; one with a `nodes` array is a
/// roadmap.sh file; TOML with a top-level `title` and `[[phases]]` is a curriculum file; text
/// with a Markdown heading, a checklist line or a pipe table is Markdown.
pub fn detect(source: &str) -> Option<SourceFormat> {
    sniff(source).ok()
}

/// Like [`detect`], but says why JSON-looking input could not be read, so that a truncated or
/// absurdly deep export is reported as such rather than as "unrecognised".
pub(super) fn sniff(source: &str) -> Result<SourceFormat, ImportError> {
    if json::looks_like_json(source) {
        match json::probe(source, None) {
            Ok(probe) => return probe.format().ok_or(ImportError::Unrecognised),
            // `[[_TOC_]]` or `[link]: …` at the top of a Markdown file starts like JSON; a
            // syntax error in such a file says nothing, so let the text formats have a go.
            Err(err @ ImportError::Json { .. }) => return text_format(source).ok_or(err),
            Err(err) => return Err(err),
        }
    }
    text_format(source).ok_or(ImportError::Unrecognised)
}

impl Probe {
    pub(super) fn format(&self) -> Option<SourceFormat> {
        if self.has_key("lists") && self.has_key("cards") {
            Some(SourceFormat::Trello)
        } else if self.has_array("nodes") {
            Some(SourceFormat::Roadmapsh)
        } else {
            None
        }
    }

    fn has_key(&self, key: &str) -> bool {
        self.keys.iter().any(|(k, _)| k == key)
    }
}

fn text_format(source: &str) -> Option<SourceFormat> {
    if is_curriculum_toml(source) {
        Some(SourceFormat::Toml)
    } else if is_markdown(source) {
        Some(SourceFormat::Markdown)
    } else {
        None
    }
}

/// A top-level `title = …` (before the first table header) and a `[[phases]]` header. Checked
/// on the text, not by parsing, so that a curriculum file with a mistake in it is still
/// recognised and gets the file format's precise diagnostics.
fn is_curriculum_toml(source: &str) -> bool {
    let mut top_level = true;
    let mut title = false;
    for line in source.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            top_level = false;
            let header: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            if header.starts_with("[[phases]]") {
                return title;
            }
        } else if top_level
            && let Some(rest) = line.strip_prefix("title")
            && rest.trim_start().starts_with('=')
        {
            title = true;
        }
    }
    false
}

fn is_markdown(source: &str) -> bool {
    source.lines().any(|line| {
        let line = line.trim_start();
        is_heading(line) || is_checklist_line(line) || is_table_separator(line)
    })
}

fn is_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && line[hashes..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t')
}

fn is_checklist_line(line: &str) -> bool {
    let Some(rest) = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
    else {
        return false;
    };
    ["[ ]", "[x]", "[X]"]
        .iter()
        .any(|box_| rest.trim_start().starts_with(box_))
}

/// The `|---|:--:|` line under a table's header, the one thing every pipe table has.
fn is_table_separator(line: &str) -> bool {
    let line = line.trim_end();
    line.contains('|')
        && line.contains("---")
        && line
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

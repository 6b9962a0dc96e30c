//! Checklists in notes: `- [ ] read chapter 3` ticked from the page.
//!
//! The Markdown parser finds the task markers (so a `[ ]` in a code block or a paragraph is
//! not one), in the order the rendered page shows their boxes; ticking box `n` rewrites only
//! that marker's three characters in the source, leaving the rest of the notes byte for byte.

use pulldown_cmark::{Event, Options, Parser};

/// The Markdown options notes are rendered with; the page's boxes come from the same parse.
pub const NOTES_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

/// Each task marker in `notes`, in order: where its `[ ]` or `[x]` is, and whether ticked.
pub fn task_markers(notes: &str) -> Vec<(std::ops::Range<usize>, bool)> {
    Parser::new_ext(notes, NOTES_OPTIONS)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::TaskListMarker(checked) => Some((range, checked)),
            _ => None,
        })
        .collect()
}

/// Why a box could not be ticked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    /// The notes changed since the page was shown (another tab, another device).
    #[error(
        "the notes have no checklist item {number} any more (they changed since the page was shown): reload the page and tick it again"
    )]
    NoSuchTask { number: usize },
}

/// `notes` with task `n` (0 first) ticked or unticked.
pub fn set_task(notes: &str, n: usize, checked: bool) -> Result<String, TaskError> {
    let (range, _) = task_markers(notes)
        .into_iter()
        .nth(n)
        .ok_or(TaskError::NoSuchTask { number: n + 1 })?;
    let marker = &notes[range.clone()];
    // The marker is `[ ]`, `[x]` or `[X]`; anything else means the offsets do not point at it.
    if !(marker.starts_with('[') && marker.ends_with(']')) {
        return Err(TaskError::NoSuchTask { number: n + 1 });
    }
    let mut out = String::with_capacity(notes.len());
    out.push_str(&notes[..range.start]);
    out.push_str(if checked { "[x]" } else { "[ ]" });
    out.push_str(&notes[range.end..]);
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;

    const NOTES: &str = "# Week 3\n\n- [ ] read chapter 3\n- [x] exercises\n  - [ ] nested one\n\n```\n- [ ] not a task: code\n```\n\nA [ ] in a line.\n";

    #[test]
    fn only_real_task_markers_count_in_page_order() {
        let markers = task_markers(NOTES);
        let found: Vec<(&str, bool)> = markers
            .iter()
            .map(|(r, c)| (&NOTES[r.clone()], *c))
            .collect();
        assert_eq!(found, [("[ ]", false), ("[x]", true), ("[ ]", false)]);
    }

    #[test]
    fn ticking_rewrites_only_that_marker() {
        let ticked = set_task(NOTES, 2, true).unwrap();
        assert_eq!(
            ticked,
            NOTES.replacen("  - [ ] nested", "  - [x] nested", 1)
        );
        let unticked = set_task(NOTES, 1, false).unwrap();
        assert_eq!(
            unticked,
            NOTES.replacen("- [x] exercises", "- [ ] exercises", 1)
        );
        // Ticking a ticked box changes nothing.
        assert_eq!(set_task(NOTES, 1, true).unwrap(), NOTES);
        assert_eq!(
            set_task(NOTES, 3, true),
            Err(TaskError::NoSuchTask { number: 4 })
        );
    }

    #[test]
    fn a_capital_x_and_windows_line_ends_survive() {
        let notes = "- [X] one\r\n- [ ] two\r\n";
        assert_eq!(
            set_task(notes, 1, true).unwrap(),
            "- [X] one\r\n- [x] two\r\n"
        );
        assert_eq!(
            set_task(notes, 0, false).unwrap(),
            "- [ ] one\r\n- [ ] two\r\n"
        );
    }
}

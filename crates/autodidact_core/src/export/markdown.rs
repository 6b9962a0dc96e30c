//! A curriculum as Markdown, to commit next to its TOML file: readable on GitHub, with a task
//! list per phase that a learner can tick off in their own fork.

use std::fmt::Write as _;

use crate::curriculum::{Curriculum, Item, Minutes, Mode};

use super::escape::{code, indent, inline, is_safe, markdown, plain};
use super::{count, effort_text, minutes_range, web_url};

/// The curriculum as a Markdown document: title, description, a summary, then a task list per
/// phase. Item ids are shown as code, so that `requires` lists can be followed by eye.
pub fn curriculum_markdown(c: &Curriculum) -> String {
    let document = render(c, markdown);
    // Each Markdown field is cleaned on its own, but they are read as one document, where a
    // part of one field could combine with another. Should that ever leave raw HTML or a bad
    // link, every Markdown field is shown as plain text instead.
    if is_safe(&document) {
        document
    } else {
        render(c, plain)
    }
}

/// The document, with `field` turning each Markdown field into what is written.
fn render(c: &Curriculum, field: fn(&str) -> String) -> String {
    let mut out = String::new();
    let title = if c.title.trim().is_empty() {
        "Untitled curriculum".to_owned()
    } else {
        inline(&c.title)
    };
    push_line(&mut out, &format!("# {title}"));
    push_paragraph(&mut out, &field(&c.description));
    push_paragraph(&mut out, &summary(c));
    for (n, phase) in c.phases.iter().enumerate() {
        // Notes end with a blank line already.
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
        push_line(&mut out, &format!("## {}. {}", n + 1, inline(&phase.title)));
        push_paragraph(&mut out, &field(&phase.description));
        out.push('\n');
        if phase.items.is_empty() {
            push_line(&mut out, "_No items yet._");
        }
        for item in &phase.items {
            push_item(&mut out, item, c.hours_per_week, field);
        }
    }
    out
}

/// `By Ada · 12 items in 3 phases · 240 h in total (200–280 h) · at the suggested 10 h a week,
/// about 24 weeks`.
fn summary(c: &Curriculum) -> String {
    let weekly = c.hours_per_week;
    let items = c.items().count();
    let mut parts = Vec::new();
    if !c.author.trim().is_empty() {
        parts.push(format!("By {}", inline(&c.author)));
    }
    parts.push(format!(
        "{} in {}",
        count(items, "item", "items"),
        count(c.phases.len(), "phase", "phases")
    ));
    let total = c.total_planned();
    let (min, max) = c
        .items()
        .map(|item| item.effort.bounds(weekly))
        .fold((Minutes::ZERO, Minutes::ZERO), |(lo, hi), (min, max)| {
            (lo.saturating_add(min), hi.saturating_add(max))
        });
    if min == max {
        parts.push(format!("{total} in total"));
    } else {
        parts.push(format!("{total} in total ({})", minutes_range(min, max)));
    }
    if let Some(weekly) = weekly.filter(|w| !w.is_zero()) {
        let weeks = total.get().div_ceil(weekly.get()) as usize;
        parts.push(format!(
            "at the suggested {weekly} a week, about {}",
            count(weeks, "week", "weeks")
        ));
    }
    parts.join(" · ")
}

/// `- [ ] **[Title](url)** `id` · course · 20 h (guess) · requires `a`, `b` · skills `sql``,
/// with the notes nested under it.
fn push_item(out: &mut String, item: &Item, weekly: Option<Minutes>, field: fn(&str) -> String) {
    let title = if item.title.trim().is_empty() {
        item.id.to_string()
    } else {
        inline(&item.title)
    };
    let title = match item.url.as_deref().and_then(web_url) {
        Some(url) => format!("[{title}]({url})"),
        None => title,
    };
    let mut line = format!(
        "- [ ] **{title}** {} · {} · {}",
        code(item.id.as_str()),
        item.kind,
        effort_text(item, weekly)
    );
    if let Some(mode) = item.mode_override.filter(|m| *m != item.kind.mode()) {
        line.push_str(match mode {
            Mode::TakingIn => " · taking in",
            Mode::Making => " · making",
        });
    }
    if !item.requires.is_empty() {
        let ids: Vec<String> = item.requires.iter().map(|id| code(id.as_str())).collect();
        let _ = write!(line, " · requires {}", ids.join(", "));
    }
    if let Some(due) = item.due {
        let _ = write!(line, " · due {due}");
    }
    let skills: Vec<String> = item
        .skills
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| code(s))
        .collect();
    if !skills.is_empty() {
        let _ = write!(line, " · skills {}", skills.join(" "));
    }
    push_line(out, &line);
    let notes = field(&item.notes);
    if !notes.is_empty() {
        out.push('\n');
        push_line(out, &indent(&notes, "  "));
        out.push('\n');
    }
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// A blank line, then the paragraph; nothing when it is empty.
fn push_paragraph(out: &mut String, text: &str) {
    if !text.is_empty() {
        out.push('\n');
        push_line(out, text);
    }
}

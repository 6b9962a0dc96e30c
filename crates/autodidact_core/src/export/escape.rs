//! Making user text safe to put into Markdown.
//!
//! Curricula are shared between strangers, and the exported Markdown is rendered by GitHub and
//! by whatever else a reader uses, some of which pass raw HTML through. Plain fields (titles,
//! skills) are escaped so they render as the text they are; Markdown fields (descriptions,
//! notes) keep their formatting, but lose raw HTML and links that are not `http(s)`.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

use super::web_url;

/// Characters that start Markdown or GitHub syntax anywhere in a line: code, emphasis, links
/// and images, raw HTML and autolinks, table cells, headings (and a heading's closing `#`s),
/// entities, strikethrough and math.
const SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '&', '~', '$', '!',
];

/// One line of plain text, rendered as itself: whitespace runs (newlines too) become one
/// space and control characters go.
pub(super) fn inline(text: &str) -> String {
    literal(&one_line(text))
}

/// Plain text as a code span, which renders literally: the fence is longer than any run of
/// backticks inside.
pub(super) fn code(text: &str) -> String {
    let text = one_line(text);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An author's Markdown with its formatting, but without raw HTML or links and images that are
/// not `http(s)`: those parts are shown as literal text instead.
pub(super) fn markdown(source: &str) -> String {
    let source = normalise_lines(source);
    let cleaned = close_fence(neutralise(&source));
    // Escaping a part can change how the text around it parses; if anything unsafe remains,
    // fall back to showing the whole text literally rather than reasoning about every case.
    if is_safe(&cleaned) {
        cleaned
    } else {
        plain(&source)
    }
}

/// An author's Markdown shown as literal text, line breaks kept.
pub(super) fn plain(source: &str) -> String {
    literal(&normalise_lines(source))
}

/// Whether a Markdown document has no raw HTML and no links or images but to web URLs.
pub(super) fn is_safe(document: &str) -> bool {
    unsafe_parts(document).is_empty()
}

/// Closes a code fence left open at the end, which would otherwise swallow the rest of the
/// exported document, and pair up with fences in later fields.
fn close_fence(text: String) -> String {
    let Some(open) = fenced_block_at_end(&text) else {
        return text;
    };
    let line_start = text[..open].rfind('\n').map_or(0, |n| n + 1);
    let indent = &text[line_start..open];
    let rest = &text[open..];
    let Some(fence_char) = rest.chars().next() else {
        return text;
    };
    let fence_len = rest.chars().take_while(|&c| c == fence_char).count();
    let last = text.lines().last().unwrap_or_default().trim();
    let closed = last.len() >= fence_len
        && last.chars().all(|c| c == fence_char)
        && text.len() - last.len() > open;
    // Only for a fence with nothing but spaces before it: one in a quote or a list item is
    // closed by its container when the field ends.
    if closed || !indent.chars().all(|c| c == ' ') {
        return text;
    }
    let fence = fence_char.to_string().repeat(fence_len);
    format!("{text}\n{indent}{fence}")
}

/// The byte offset of the opening fence of a fenced code block that runs to the end.
fn fenced_block_at_end(text: &str) -> Option<usize> {
    Parser::new_ext(text, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => Some(range),
            _ => None,
        })
        .last()
        .filter(|range| range.end >= text.trim_end().len())
        .map(|range| range.start)
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// `\n` line ends, no control characters, and tabs expanded to spaces: a tab's width depends
/// on its column, so a tab would mean less indentation once the text is nested under a list
/// item, and could turn a paragraph line into raw HTML there.
fn normalise_lines(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    let mut column = 0;
    for c in text.chars() {
        match c {
            '\n' => {
                out.push('\n');
                column = 0;
            }
            '\t' => {
                let width = 4 - column % 4;
                out.extend(std::iter::repeat_n(' ', width));
                column += width;
            }
            c if c.is_control() => {}
            c => {
                out.push(c);
                column += 1;
            }
        }
    }
    // Leading blank lines and trailing space only: the first line's indentation is meaningful.
    let start = out
        .char_indices()
        .find(|&(_, c)| !c.is_whitespace())
        .map_or(out.len(), |(i, _)| {
            out[..i].rfind('\n').map_or(0, |n| n + 1)
        });
    out[start..].trim_end().to_owned()
}

fn neutralise(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    for range in unsafe_parts(source) {
        // A part inside one already escaped (an image in a bad link) is covered by it.
        if range.start < copied {
            continue;
        }
        out.push_str(source.get(copied..range.start).unwrap_or_default());
        out.push_str(&literal(source.get(range.clone()).unwrap_or_default()));
        copied = range.end;
    }
    out.push_str(source.get(copied..).unwrap_or_default());
    out
}

/// Byte ranges of raw HTML, of links and images whose target is not a web URL, and of link
/// reference definitions with such a target: the exported document joins several fields, and
/// a definition in one would otherwise turn a harmless `[r]` in another into a link.
fn unsafe_parts(source: &str) -> Vec<Range<usize>> {
    let parser = Parser::new_ext(source, options());
    let mut parts: Vec<Range<usize>> = parser
        .reference_definitions()
        .iter()
        .filter(|(_, def)| web_url(&def.dest).is_none())
        .map(|(_, def)| def.span.clone())
        .collect();
    parts.extend(
        parser
            .into_offset_iter()
            .filter(|(event, _)| match event {
                Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::HtmlBlock) => true,
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    web_url(dest_url).is_none()
                }
                _ => false,
            })
            .map(|(_, range)| range),
    );
    // Outer parts first, so that the parts inside them are skipped.
    parts.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    parts
}

/// Text shown as itself, line breaks kept.
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Every line of `text` prefixed, for Markdown nested under a list item.
pub(super) fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|line| {
            if line.trim().is_empty() {
                String::new()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

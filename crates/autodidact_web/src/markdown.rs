//! User Markdown to safe HTML: raw HTML is not rendered at all, the output is sanitised with
//! ammonia, and links may only be http, https or mailto.

use std::collections::HashSet;

use autodidact_core::board::NOTES_OPTIONS;
use pulldown_cmark::{Event, Parser, html};

/// Renders Markdown written by a user into HTML that is safe to embed.
pub fn render(markdown: &str) -> String {
    let options = NOTES_OPTIONS;
    // Raw HTML in the source is shown as text, never passed through.
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, events);
    ammonia::Builder::default()
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("nofollow noopener noreferrer"))
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .attribute_filter(|element, attribute, value| {
            // Task-list checkboxes only; no other inputs survive.
            if element == "input" && attribute == "type" && value != "checkbox" {
                return None;
            }
            Some(value.into())
        })
        .clean(&unsafe_html)
        .to_string()
}

/// Renders notes like [`render`], with each checklist box a button that ticks it: box `n`
/// submits the form `{form}-{n}` (which the page puts after the notes), so it works without
/// JavaScript. Returns the HTML and how many boxes it holds.
pub fn render_tickable(markdown: &str, form: &str) -> (String, usize) {
    let html = render(markdown);
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html.as_str();
    let mut n = 0;
    // After sanitising, the only inputs left are the task-list checkboxes, in page order.
    while let Some(start) = rest.find("<input") {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..=start + len];
        let checked = tag.contains("checked");
        out.push_str(&rest[..start]);
        let (value, label, mark) = if checked {
            ("0", "Done: untick", "☑")
        } else {
            ("1", "Not done: tick", "☐")
        };
        out.push_str(&format!(
            "<button type=\"submit\" form=\"{form}-{n}\" name=\"checked\" value=\"{value}\" class=\"task-box\" aria-pressed=\"{checked}\" title=\"{label}\" aria-label=\"{label}\">{mark}</button>"
        ));
        rest = &rest[start + len + 1..];
        n += 1;
    }
    out.push_str(rest);
    (out, n)
}

#[cfg(test)]
mod tests {
    use super::{render, render_tickable};

    #[test]
    fn checklist_boxes_become_buttons_for_their_own_forms() {
        let (html, count) = render_tickable("- [x] done\n- [ ] todo\n\n`<input>`", "task");
        assert_eq!(count, 2);
        assert!(!html.contains("<input"), "{html}");
        assert!(
            html.contains("form=\"task-0\" name=\"checked\" value=\"0\""),
            "{html}"
        );
        assert!(
            html.contains("form=\"task-1\" name=\"checked\" value=\"1\""),
            "{html}"
        );
        assert!(html.contains("&lt;input&gt;"), "{html}");
    }

    #[test]
    fn raw_html_and_scripts_never_reach_the_page() {
        let html = render("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn only_web_and_mail_links_survive() {
        let html = render(
            "[a](javascript:alert(1)) [b](https://example.org) [c](mailto:a@b.org) [d](data:text/html,x)",
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
        assert!(html.contains("href=\"mailto:a@b.org\""), "{html}");
    }

    #[test]
    fn task_lists_keep_their_checkboxes() {
        let html = render("- [x] done\n- [ ] todo");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("checked"), "{html}");
    }
}

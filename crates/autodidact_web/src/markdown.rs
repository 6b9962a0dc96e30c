//! User Markdown to safe HTML: raw HTML is not rendered at all, the output is sanitised with
//! ammonia, and links may only be http, https or mailto.

use std::collections::HashSet;

use pulldown_cmark::{Event, Options, Parser, html};

/// Renders Markdown written by a user into HTML that is safe to embed.
pub fn render(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
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

#[cfg(test)]
mod tests {
    use super::render;

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

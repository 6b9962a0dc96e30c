//! The Atom feed (RFC 4287) of a public profile: its public journal posts and the items it
//! finished, newest first. Written by hand: one escaping function and a fixed shape; the
//! feed is built only from `sharing::compose_public`, so nothing but what is public is in it.

use std::fmt::Write as _;

use autodidact_core::sharing::Profile;
use autodidact_core::store::JournalPost;
use jiff::Timestamp;

use crate::markdown::render;

/// Text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow are left out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Where the feed's links point: the server's pages, or a static site's files.
pub struct FeedLinks<'a> {
    /// The profile's own address (the feed's alternate link).
    pub home: String,
    /// The address of a post.
    pub post: &'a dyn Fn(&JournalPost) -> String,
    /// The feed's own address.
    pub own: String,
}

struct Entry {
    id: String,
    title: String,
    updated: Timestamp,
    link: Option<String>,
    /// HTML, escaped into the XML as text.
    content: String,
}

/// The feed, with an entry per public post and per finished item (when those parts are in
/// `profile`), newest first.
pub fn atom(profile: &Profile, links: &FeedLinks<'_>, now: Timestamp) -> String {
    let handle = profile.handle.as_str();
    let mut entries = Vec::new();
    for post in profile.journal.iter().flatten() {
        entries.push(Entry {
            id: format!("{}#post-{}", links.home, post.id),
            title: post.title.clone(),
            updated: post.updated_at,
            link: Some((links.post)(post)),
            content: render(&post.body),
        });
    }
    for done in profile.finished.iter().flatten() {
        let evidence: String = done
            .evidence
            .iter()
            .map(|e| {
                format!(
                    "<li><a href=\"{}\">{}</a></li>",
                    xml_escape(&e.url),
                    xml_escape(if e.title.is_empty() { &e.url } else { &e.title })
                )
            })
            .collect();
        let updated = done
            .finished
            .to_zoned(profile.zone.tz().clone())
            .map_or(now, |z| z.timestamp());
        entries.push(Entry {
            id: format!(
                "{}#done-{}-{}",
                links.home,
                done.follow.0,
                done.item.as_str()
            ),
            title: format!("Finished: {}", done.title),
            updated,
            link: None,
            content: format!(
                "<p>{} in {}, {} logged.</p>{}",
                xml_escape(&done.title),
                xml_escape(&done.curriculum),
                crate::insight::words::hm(done.logged),
                if evidence.is_empty() {
                    String::new()
                } else {
                    format!("<ul>{evidence}</ul>")
                }
            ),
        });
    }
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    let updated = entries.first().map_or(now, |e| e.updated);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(
        xml,
        "  <title>{} (@{})</title>",
        xml_escape(&profile.display_name),
        xml_escape(handle)
    );
    let _ = writeln!(xml, "  <id>{}</id>", xml_escape(&links.home));
    let _ = writeln!(xml, "  <updated>{}</updated>", rfc3339(updated));
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&links.home)
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&links.own)
    );
    let _ = writeln!(
        xml,
        "  <author><name>{}</name></author>",
        xml_escape(&profile.display_name)
    );
    for e in &entries {
        xml.push_str("  <entry>\n");
        let _ = writeln!(xml, "    <id>{}</id>", xml_escape(&e.id));
        let _ = writeln!(xml, "    <title>{}</title>", xml_escape(&e.title));
        let _ = writeln!(xml, "    <updated>{}</updated>", rfc3339(e.updated));
        if let Some(link) = &e.link {
            let _ = writeln!(
                xml,
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
                xml_escape(link)
            );
        }
        let _ = writeln!(
            xml,
            "    <content type=\"html\">{}</content>",
            xml_escape(&e.content)
        );
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// A time as Atom writes it, in UTC to the second.
fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::xml_escape;

    #[test]
    fn markup_and_characters_xml_forbids_are_escaped_or_dropped() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1}d"),
            "a&lt;b&gt;&amp;&quot;c&apos;d"
        );
    }
}

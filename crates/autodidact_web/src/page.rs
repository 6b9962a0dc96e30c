//! What every page shares: the layout's data, and small formatting helpers for templates.

use crate::auth::SignedIn;

/// The data the base template needs on every page.
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub viewer: Option<ViewerInfo>,
    /// The token every state-changing form carries.
    pub csrf: String,
    /// The quick-log form, shown on every page for a signed-in learner.
    pub quick_log: Option<crate::logs::QuickLog>,
}

#[derive(Debug, Clone)]
pub struct ViewerInfo {
    pub handle: String,
    pub display_name: String,
}

impl Layout {
    /// A page for a signed-in person.
    pub fn signed_in(title: impl Into<String>, who: &SignedIn) -> Self {
        Self {
            title: title.into(),
            viewer: Some(ViewerInfo {
                handle: who.user.handle.to_string(),
                display_name: who.user.display_name.clone(),
            }),
            csrf: who.session.csrf_token.clone(),
            quick_log: Some(crate::logs::QuickLog::for_viewer(who)),
        }
    }

    /// A page for a signed-in person whose quick-log form lists their followed items.
    pub fn signed_in_with_log(
        title: impl Into<String>,
        who: &SignedIn,
        quick_log: crate::logs::QuickLog,
    ) -> Self {
        Self {
            quick_log: Some(quick_log),
            ..Self::signed_in(title, who)
        }
    }

    /// A page for someone not signed in; forms carry the anonymous CSRF token.
    pub fn anonymous(title: impl Into<String>, csrf: String) -> Self {
        Self {
            title: title.into(),
            viewer: None,
            csrf,
            quick_log: None,
        }
    }

    /// A page with no forms (errors).
    pub fn bare(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            viewer: None,
            csrf: String::new(),
            quick_log: None,
        }
    }
}

/// Percent-encodes a query value.
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `45 seconds`, `3 minutes`, `2 hours`.
pub fn duration_words(secs: i64) -> String {
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    if secs < 60 {
        plural(secs.max(1), "second")
    } else if secs < 3600 {
        plural((secs + 59) / 60, "minute")
    } else {
        plural((secs + 3599) / 3600, "hour")
    }
}

/// A safe place to go back to after signing in, logging or grading: a local path only, never
/// another site. Only visible ASCII is accepted: browsers drop tabs and line breaks from an
/// address, so `/\t/evil.example` would become `//evil.example`, and a control character
/// cannot go into a `Location` header at all.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Messages to show next to the form fields they belong to.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, plain(&message.into())));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps an `Ok` value, or records the error's message against `field`.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &'static str,
        result: Result<T, E>,
    ) -> Option<T> {
        result
            .map_err(|e| self.add(field, capitalise(&e.to_string())))
            .ok()
    }
}

/// "a handle has…" → "A handle has…", ending with a full stop.
pub fn capitalise(message: &str) -> String {
    let message = plain(message);
    let mut chars = message.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

/// A timestamp as a person reads it, in their zone, with the day as every page writes it:
/// `Mon 7 Dec 2026, 14:05`.
pub fn local_time(at: jiff::Timestamp, zone: &autodidact_core::accounts::Zone) -> String {
    at.to_zoned(zone.tz().clone())
        .strftime("%a %-d %b %Y, %H:%M")
        .to_string()
}

/// A message for a page: the core's messages quote values in Markdown backticks (`20`), which
/// the command line and the API keep; a page shows them in typographic quotes (“20”). The
/// core's ISO dates outside quotes are written as every page writes days (`Tue 1 Dec 2026`);
/// quoted text is what the learner typed and stays as it is.
pub fn plain(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut open = false;
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            out.push(if open { '”' } else { '“' });
            open = !open;
        } else if let Some(day) = (!open && !out.ends_with(|p: char| p.is_ascii_digit()))
            .then(|| iso_day(rest))
            .flatten()
        {
            out.push_str(&day.strftime("%a %-d %b %Y").to_string());
            rest = &rest[10..];
            continue;
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The day `text` starts with, written `2026-12-01` and not followed by another digit.
fn iso_day(text: &str) -> Option<jiff::civil::Date> {
    let head = text.get(..10)?;
    let shape = head.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        _ => b.is_ascii_digit(),
    });
    if !shape || text[10..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    head.parse().ok()
}

#[cfg(test)]
mod next_tests {
    use super::safe_next;

    #[test]
    fn only_a_local_path_of_visible_characters_is_a_place_to_go_back_to() {
        for good in [
            "/",
            "/logs?month=2026-12",
            "/follows/1/board#card-a",
            "/a%20b",
        ] {
            assert_eq!(safe_next(Some(good)), good);
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/a b",
            "/\u{0}",
            "/caf\u{e9}",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}

#[cfg(test)]
mod plain_tests {
    use super::{capitalise, plain};

    #[test]
    fn backticks_become_quotes_on_pages() {
        assert_eq!(plain("`lots` is not a number"), "“lots” is not a number");
        assert_eq!(
            capitalise("write `mon=2`, not `x`"),
            "Write “mon=2”, not “x”."
        );
        assert_eq!(plain("no quotes"), "no quotes");
        assert_eq!(
            plain("The end date 2026-12-01 has passed; `2026-12-01` stays"),
            "The end date Tue 1 Dec 2026 has passed; “2026-12-01” stays"
        );
        assert_eq!(
            plain("not a day: 2026-13-45, 20261-01-01"),
            "not a day: 2026-13-45, 20261-01-01"
        );
    }
}

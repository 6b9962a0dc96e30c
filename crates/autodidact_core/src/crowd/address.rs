//! The address of a resource, normalised so that one course, book, video or paper linked from
//! unrelated curricula is known as the same: `http`/`https`, `www.`, a trailing slash,
//! tracking parameters and a fragment make no difference, and the well-known sites' several
//! addresses for one thing (a YouTube video, an arXiv paper, a GitHub repository) become one.

use url::Url;

/// Query parameters that only say where a visitor came from.
fn is_tracking(name: &str) -> bool {
    name.starts_with("utm_")
        || matches!(
            name,
            "fbclid" | "gclid" | "mc_cid" | "mc_eid" | "ref" | "ref_src" | "si" | "feature"
        )
}

/// `host/path?query` of a web address, normalised; `None` for anything that is not an
/// `http(s)` address with a host.
pub fn resource_address(raw: &str) -> Option<String> {
    let url = Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host
        .strip_prefix("www.")
        .or_else(|| host.strip_prefix("m."))
        .unwrap_or(&host)
        .to_owned();
    let path = url.path().trim_end_matches('/');
    let mut query: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let (host, path) = match host.as_str() {
        // A video: youtu.be/ID and youtube.com/watch?v=ID, without its playlist or time.
        "youtu.be" => {
            let id = path.trim_start_matches('/');
            return (!id.is_empty()).then(|| format!("youtube.com/watch?v={id}"));
        }
        "youtube.com" if path == "/watch" => {
            let id = query.iter().find(|(k, _)| k == "v")?.1.clone();
            return Some(format!("youtube.com/watch?v={id}"));
        }
        // A paper: its abstract page, whatever the version or the PDF.
        "arxiv.org" => {
            let rest = path
                .strip_prefix("/abs/")
                .or_else(|| path.strip_prefix("/pdf/"));
            match rest {
                Some(id) => {
                    let id = id.trim_end_matches(".pdf");
                    let id = match id.rfind('v') {
                        Some(at)
                            if at > 0
                                && id[at + 1..].chars().all(|c| c.is_ascii_digit())
                                && at + 1 < id.len() =>
                        {
                            &id[..at]
                        }
                        _ => id,
                    };
                    return Some(format!("arxiv.org/abs/{id}"));
                }
                None => (host, path.to_owned()),
            }
        }
        // A repository: owner and name are not case-sensitive, and `.git` is the same one.
        "github.com" => (host, path.trim_end_matches(".git").to_ascii_lowercase()),
        _ => (host, path.to_owned()),
    };
    query.sort();
    let mut out = host + &path;
    if !query.is_empty() {
        let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_resource_has_one_address() {
        for (a, b) in [
            (
                "https://www.coursera.org/learn/machine-learning",
                "http://coursera.org/learn/machine-learning/?utm_source=x#week-2",
            ),
            (
                "https://youtu.be/aircAruvnKk?si=abc",
                "https://www.youtube.com/watch?v=aircAruvnKk&feature=share",
            ),
            (
                "https://m.youtube.com/watch?v=aircAruvnKk",
                "https://youtube.com/watch?list=PL1&v=aircAruvnKk",
            ),
            (
                "https://arxiv.org/abs/1706.03762",
                "https://arxiv.org/pdf/1706.03762v7.pdf",
            ),
            (
                "https://github.com/Fastai/FastBook",
                "https://github.com/fastai/fastbook.git",
            ),
            (
                "HTTPS://Example.COM:443/a?b=2&a=1",
                "https://example.com/a?a=1&b=2",
            ),
        ] {
            assert_eq!(resource_address(a), resource_address(b), "{a} ~ {b}");
            assert!(resource_address(a).is_some());
        }
        assert_eq!(
            resource_address("https://arxiv.org/abs/1706.03762v2").as_deref(),
            Some("arxiv.org/abs/1706.03762")
        );
    }

    #[test]
    fn different_resources_stay_apart() {
        for (a, b) in [
            (
                "https://www.coursera.org/learn/machine-learning",
                "https://www.coursera.org/learn/deep-learning",
            ),
            (
                "https://youtube.com/watch?v=aaa",
                "https://youtube.com/watch?v=bbb",
            ),
            (
                "https://example.com/page?id=1",
                "https://example.com/page?id=2",
            ),
            ("https://example.com/Case", "https://example.com/case"),
        ] {
            assert_ne!(resource_address(a), resource_address(b), "{a} ≠ {b}");
        }
    }

    #[test]
    fn only_web_addresses_have_one() {
        for raw in [
            "",
            "not a url",
            "ftp://example.com/x",
            "mailto:a@b.c",
            "file:///etc/passwd",
        ] {
            assert_eq!(resource_address(raw), None, "{raw}");
        }
    }
}

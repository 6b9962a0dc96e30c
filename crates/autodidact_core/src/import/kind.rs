//! Guessing what sort of resource an imported item is, from its title and link.

use crate::curriculum::ItemKind;

/// Clues for each kind, in the order they are tried: the first kind with a matching host or
/// title word wins, so "Let's build GPT" on YouTube is a video and a book hosted on GitHub is
/// a book.
const CLUES: [(ItemKind, &[&str], &[&str]); 7] = [
    (
        ItemKind::Video,
        &["youtube.com", "youtu.be", "vimeo.com"],
        &[
            "video", "videos", "youtube", "vimeo", "lecture", "lectures", "talk", "talks",
        ],
    ),
    (
        ItemKind::Paper,
        &["arxiv.org", "openreview.net"],
        &["paper", "papers", "arxiv", "openreview"],
    ),
    (
        ItemKind::Book,
        &["oreilly.com", "manning.com"],
        &[
            "book", "books", "textbook", "ebook", "o'reilly", "oreilly", "manning",
        ],
    ),
    (
        ItemKind::Course,
        &["coursera.org", "edx.org", "udemy.com", "fast.ai"],
        &[
            "course",
            "courses",
            "mooc",
            "coursera",
            "edx",
            "udemy",
            "fast.ai",
            "specialization",
            "specialisation",
            "nanodegree",
            "bootcamp",
            "class",
        ],
    ),
    (
        ItemKind::Project,
        &["github.com"],
        &["project", "projects", "build", "github"],
    ),
    (
        ItemKind::Practice,
        &["kaggle.com"],
        &["kaggle", "exercise", "exercises", "practice", "practise"],
    ),
    (
        ItemKind::Article,
        &["medium.com"],
        &[
            "blog", "medium", "article", "articles", "notes", "tutorial", "post",
        ],
    ),
];

/// The kind an item most likely is, from words in its title and the host of its URL;
/// [`ItemKind::Other`] when nothing gives it away.
pub fn guess_kind(title: &str, url: Option<&str>) -> ItemKind {
    let host = url.map(host_of).unwrap_or_default();
    let title = title.to_lowercase();
    // Words keep `.` and `'` so that "fast.ai" and "O'Reilly" stay whole.
    let words: Vec<&str> = title
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\''))
        .map(|w| w.trim_matches(['.', '\'']))
        .filter(|w| !w.is_empty())
        .collect();
    let host_is = |domain: &&str| host == *domain || host.ends_with(&format!(".{domain}"));
    for (kind, hosts, clues) in CLUES {
        let blog_host = kind == ItemKind::Article && host.split('.').any(|part| part == "blog");
        if blog_host || hosts.iter().any(host_is) || clues.iter().any(|c| words.contains(c)) {
            return kind;
        }
    }
    ItemKind::Other
}

/// `https://www.YouTube.com/watch?v=…` → `youtube.com`.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    let host = host.to_ascii_lowercase();
    host.strip_prefix("www.").map(str::to_owned).unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_hosts_and_title_words() {
        let cases = [
            (
                "Let's build GPT",
                Some("https://www.youtube.com/watch?v=x"),
                ItemKind::Video,
            ),
            (
                "Attention is all you need",
                Some("https://arxiv.org/abs/1706.03762"),
                ItemKind::Paper,
            ),
            (
                "Designing Data-Intensive Applications (O'Reilly)",
                None,
                ItemKind::Book,
            ),
            (
                "Practical Deep Learning",
                Some("https://course.fast.ai/"),
                ItemKind::Course,
            ),
            ("Build a Redis clone", None, ItemKind::Project),
            (
                "Titanic",
                Some("https://www.kaggle.com/c/titanic"),
                ItemKind::Practice,
            ),
            (
                "Why I use Rust",
                Some("https://blog.example.org/rust"),
                ItemKind::Article,
            ),
            ("Jupyter notebook tips", None, ItemKind::Other),
            ("Calculus", None, ItemKind::Other),
        ];
        for (title, url, kind) in cases {
            assert_eq!(guess_kind(title, url), kind, "{title}");
        }
    }
}

//! The board's rules, as pure functions.

use crate::curriculum::{ItemId, is_web_url};
use crate::follow::{Followed, is_finished};
use crate::store::{EvidenceKind, ItemStatus};

/// The longest notes on one item, in characters.
pub const MAX_NOTES_CHARS: usize = 50_000;
pub const MAX_EVIDENCE_URL_CHARS: usize = 2_000;
pub const MAX_EVIDENCE_TITLE_CHARS: usize = 200;

/// Evidence as a front end read it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceInput {
    pub kind: EvidenceKind,
    pub url: String,
    pub title: String,
}

/// What is wrong with evidence, field by field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceProblem {
    #[error(
        "choose what kind of evidence this is: repository, notebook, post, certificate or other"
    )]
    Kind,
    #[error(
        "give a web address that starts with https:// or http://, such as https://github.com/you/project"
    )]
    Url,
    #[error("the address is longer than {MAX_EVIDENCE_URL_CHARS} characters")]
    UrlTooLong,
    #[error("keep the title to {MAX_EVIDENCE_TITLE_CHARS} characters")]
    TitleTooLong,
}

impl EvidenceProblem {
    /// The field the problem belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            EvidenceProblem::Kind => "kind",
            EvidenceProblem::Url | EvidenceProblem::UrlTooLong => "url",
            EvidenceProblem::TitleTooLong => "title",
        }
    }
}

/// Evidence from its three fields as typed; every problem at once.
pub fn check_evidence(
    kind: &str,
    url: &str,
    title: &str,
) -> Result<EvidenceInput, Vec<EvidenceProblem>> {
    let mut problems = Vec::new();
    let kind = EvidenceKind::parse(kind.trim());
    if kind.is_none() {
        problems.push(EvidenceProblem::Kind);
    }
    let url = url.trim();
    if !is_web_url(url) {
        problems.push(EvidenceProblem::Url);
    } else if url.chars().count() > MAX_EVIDENCE_URL_CHARS {
        problems.push(EvidenceProblem::UrlTooLong);
    }
    let title = title.trim();
    if title.chars().count() > MAX_EVIDENCE_TITLE_CHARS {
        problems.push(EvidenceProblem::TitleTooLong);
    }
    match kind {
        Some(kind) if problems.is_empty() => Ok(EvidenceInput {
            kind,
            url: url.to_owned(),
            title: title.to_owned(),
        }),
        _ => Err(problems),
    }
}

/// "You started X before finishing Y and Z." when an item at `status` has unfinished
/// prerequisites; `None` when it is not started or nothing is missing. Never a refusal: the
/// learner decides their order.
pub fn start_warning(followed: &Followed, id: &ItemId, status: ItemStatus) -> Option<String> {
    let item = followed.curriculum.item(id)?;
    let missing: Vec<String> = item
        .requires
        .iter()
        .filter(|p| !is_finished(followed.status(p)))
        .map(|p| {
            let title = followed
                .curriculum
                .item(p)
                .map_or_else(|| p.as_str().to_owned(), |i| i.title.clone());
            format!("“{title}”")
        })
        .collect();
    let names = match missing.as_slice() {
        [] => return None,
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    match status {
        ItemStatus::Doing => Some(format!(
            "You started “{}” before finishing {names}.",
            item.title
        )),
        ItemStatus::Done => Some(format!(
            "You marked “{}” done before finishing {names}.",
            item.title
        )),
        ItemStatus::Todo | ItemStatus::Skipped => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;

    #[test]
    fn evidence_reports_every_problem_with_its_field() {
        let problems = check_evidence("poster", "ftp://x", &"t".repeat(201)).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(EvidenceProblem::field).collect();
        assert_eq!(fields, ["kind", "url", "title"]);
        let ok = check_evidence(" repository ", " https://github.com/ada/nn ", " Code ");
        assert_eq!(
            ok,
            Ok(EvidenceInput {
                kind: EvidenceKind::Repository,
                url: "https://github.com/ada/nn".to_owned(),
                title: "Code".to_owned(),
            })
        );
    }
}

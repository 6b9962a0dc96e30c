//! Copies and their lineage, as pure functions.

use jiff::Timestamp;

use crate::accounts::{Handle, UserId};
use crate::curriculum::{check_stored_toml, write_toml};
use crate::store::{CurriculumRecord, ForkOf, Lineage, NewCurriculum, Visibility};

/// A private copy of `source` for `owner`, remembering the source, its version, its owner and
/// its text. A learner's copy of their own curriculum is titled "Copy of …" so the two can be
/// told apart; a copy of someone else's keeps its title.
pub fn copy_of(
    source: &CurriculumRecord,
    source_owner: &Handle,
    owner: UserId,
    now: Timestamp,
) -> NewCurriculum {
    let (title, text) = if owner == source.owner {
        let title = format!("Copy of {}", source.title);
        let text = check_stored_toml(&source.source)
            .curriculum
            .map(|mut c| {
                c.title.clone_from(&title);
                write_toml(&c)
            })
            .unwrap_or_else(|| source.source.clone());
        (title, text)
    } else {
        (source.title.clone(), source.source.clone())
    };
    NewCurriculum {
        owner,
        title,
        visibility: Visibility::Private,
        source: text,
        lineage: Lineage::Fork(ForkOf {
            source: source.id,
            version: source.version,
            owner: source.owner,
            owner_handle: source_owner.clone(),
            title: source.title.clone(),
            base: source.source.clone(),
        }),
        now,
    }
}

/// Where a curriculum came from, as a sentence: `Forked from “Deep learning” by @r.`, or
/// `From a shipped template.`; nothing for an original. "since edited" is added once the
/// copy's own source changed.
pub fn lineage_words(record: &CurriculumRecord) -> Option<String> {
    let edited = if record.edited() {
        ", since edited"
    } else {
        ""
    };
    match &record.lineage {
        Lineage::Original => None,
        Lineage::Template { .. } => Some(format!("From a shipped template{edited}.")),
        Lineage::Fork(fork) => Some(format!(
            "Forked from “{}” by @{} (version {}){edited}.",
            fork.title, fork.owner_handle, fork.version
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use crate::store::CurriculumId;

    const SOURCE: &str = r#"title = "Deep learning"
[[phases]]
title = "Foundations"
items = [{ id = "course", kind = "course", title = "A course", hours = 10 }]
"#;

    fn record(owner: i64, version: u32) -> CurriculumRecord {
        CurriculumRecord {
            id: CurriculumId(7),
            owner: UserId(owner),
            title: "Deep learning".to_owned(),
            visibility: Visibility::Public,
            source: SOURCE.to_owned(),
            version,
            lineage: Lineage::Original,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_copy_of_someone_elses_curriculum_keeps_its_text_and_remembers_the_version() {
        let r = Handle::parse("rosa").unwrap();
        let copy = copy_of(&record(1, 4), &r, UserId(2), Timestamp::UNIX_EPOCH);
        assert_eq!(
            (copy.owner, copy.visibility),
            (UserId(2), Visibility::Private)
        );
        assert_eq!(
            (copy.title.as_str(), copy.source.as_str()),
            ("Deep learning", SOURCE)
        );
        let Lineage::Fork(fork) = &copy.lineage else {
            panic!("{:?}", copy.lineage)
        };
        assert_eq!(
            (fork.source, fork.version, fork.owner),
            (CurriculumId(7), 4, UserId(1))
        );
        assert_eq!(fork.base, SOURCE);
    }

    #[test]
    fn a_copy_of_ones_own_curriculum_is_titled_as_a_copy_inside_and_out() {
        let r = Handle::parse("rosa").unwrap();
        let copy = copy_of(&record(1, 1), &r, UserId(1), Timestamp::UNIX_EPOCH);
        assert_eq!(copy.title, "Copy of Deep learning");
        let parsed = crate::curriculum::check_toml(&copy.source)
            .curriculum
            .unwrap();
        assert_eq!(parsed.title, "Copy of Deep learning");
    }

    #[test]
    fn the_lineage_reads_as_a_sentence_and_says_when_the_copy_was_edited() {
        let r = Handle::parse("rosa").unwrap();
        let mut mine = record(2, 1);
        assert_eq!(lineage_words(&mine), None);
        mine.lineage = copy_of(&record(1, 3), &r, UserId(2), Timestamp::UNIX_EPOCH).lineage;
        assert_eq!(
            lineage_words(&mine).unwrap(),
            "Forked from “Deep learning” by @rosa (version 3)."
        );
        mine.version = 2;
        assert!(lineage_words(&mine).unwrap().ends_with(", since edited."));
        mine.lineage = Lineage::Template {
            id: "deep-learning-in-six-months".to_owned(),
        };
        assert_eq!(
            lineage_words(&mine).unwrap(),
            "From a shipped template, since edited."
        );
    }
}

//! Suggestions to a curriculum's author, on both backends: kept with their item and note,
//! listed open first, answered once and only by the curriculum's owner, and gone with the
//! curriculum or the account that made them.

use autodidact_core::store::{
    AccountDataStore, CurriculumStore, NewSuggestion, StoreError, SuggestionStatus, SuggestionStore,
};
use autodidact_store::testing::backends;

use crate::fixtures::{Learner, at, curriculum, item};

#[tokio::test]
async fn suggestions_are_kept_listed_open_first_and_answered_once_by_the_owner() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let bob = Learner::new("bob").create(&db).await;
        let rust = curriculum(&db, &ada, "Rust").await;
        let suggest = |n: i64| NewSuggestion {
            curriculum: rust.id,
            from: bob.id,
            item: item(&format!("i{n}")),
            item_source: format!("title = \"A suggested item\"\n# {n}\n"),
            note: format!("note {n}"),
            now: at(n),
        };
        let first = db.add_suggestion(suggest(1)).await.unwrap();
        let second = db.add_suggestion(suggest(2)).await.unwrap();
        assert_eq!(
            (
                first.from_handle.as_str(),
                first.note.as_str(),
                first.status
            ),
            ("bob", "note 1", SuggestionStatus::Open)
        );
        assert!(
            matches!(
                db.answer_suggestion(first.id, bob.id, SuggestionStatus::Accepted, at(5))
                    .await,
                Err(StoreError::NotFound)
            ),
            "only the curriculum's owner answers"
        );
        db.answer_suggestion(second.id, ada.id, SuggestionStatus::Declined, at(6))
            .await
            .unwrap();
        assert!(
            matches!(
                db.answer_suggestion(second.id, ada.id, SuggestionStatus::Accepted, at(7))
                    .await,
                Err(StoreError::NotFound)
            ),
            "once"
        );
        let listed = db.suggestions_to(rust.id).await.unwrap();
        assert_eq!(
            listed.iter().map(|s| (s.id, s.status)).collect::<Vec<_>>(),
            [
                (first.id, SuggestionStatus::Open),
                (second.id, SuggestionStatus::Declined)
            ]
        );
        assert_eq!(listed[1].decided_at, Some(at(6)));
        assert_eq!(db.suggestions_by(bob.id).await.unwrap().len(), 2);

        db.delete_user(bob.id).await.unwrap();
        assert!(db.suggestions_to(rust.id).await.unwrap().is_empty());
        db.add_suggestion(NewSuggestion {
            from: ada.id,
            ..suggest(3)
        })
        .await
        .unwrap();
        db.delete_curriculum(rust.id, ada.id).await.unwrap();
        assert!(db.suggestions_by(ada.id).await.unwrap().is_empty());
    }
}

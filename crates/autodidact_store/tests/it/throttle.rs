use std::sync::Arc;

use autodidact_core::store::ThrottleStore;
use autodidact_core::throttle::{Hit, Limit, Rule, Throttled};

use crate::fixtures::at;
use autodidact_store::testing::backends;

fn pair(key: &str) -> Vec<Hit> {
    vec![Hit::new(Limit::SignInPair, key)]
}

#[tokio::test]
async fn the_first_migration_stores_the_default_rules() {
    for db in backends().await {
        let rules = db.throttle_rules().await.unwrap();
        assert_eq!(rules.len(), Limit::ALL.len());
        for (limit, rule) in rules {
            assert_eq!(rule, limit.default_rule(), "{}", limit.name());
        }
    }
}

#[tokio::test]
async fn a_key_may_take_its_rules_maximum_in_a_sliding_window_and_a_refusal_counts_nothing() {
    for db in backends().await {
        // sign_in_pair: 5 in 900 s.
        for n in 0..5 {
            let taken = db.take_throttle(&pair("ada"), at(n * 100)).await.unwrap();
            assert!(taken.is_ok(), "attempt {n}");
        }
        // The sixth is refused until the first leaves the window (at 900), and the refusal is
        // not counted: at 900 one attempt is free again.
        let refused = db.take_throttle(&pair("ada"), at(450)).await.unwrap();
        assert_eq!(
            refused,
            Err(Throttled {
                limit: Limit::SignInPair,
                retry_after_secs: 450
            })
        );
        assert!(
            db.take_throttle(&pair("ada"), at(899))
                .await
                .unwrap()
                .is_err()
        );
        // Another key is counted apart.
        assert!(
            db.take_throttle(&pair("grace"), at(899))
                .await
                .unwrap()
                .is_ok()
        );
        assert!(
            db.take_throttle(&pair("ada"), at(900))
                .await
                .unwrap()
                .is_ok()
        );
        assert!(
            db.take_throttle(&pair("ada"), at(901))
                .await
                .unwrap()
                .is_err()
        );
    }
}

#[tokio::test]
async fn one_limit_reached_refuses_the_attempt_and_counts_it_under_no_key() {
    for db in backends().await {
        let both = |who: &str| {
            vec![
                Hit::new(Limit::ResetAccount, who),
                Hit::new(Limit::ResetAddress, "ip:10.0.0.1"),
            ]
        };
        // reset_account: 3 in 900 s; reset_address: 10 in 900 s.
        for n in 0..3 {
            assert!(db.take_throttle(&both("ada"), at(n)).await.unwrap().is_ok());
        }
        for n in 3..8 {
            let refused = db.take_throttle(&both("ada"), at(n)).await.unwrap();
            assert_eq!(refused.unwrap_err().limit, Limit::ResetAccount);
        }
        // The address counted 3, not 8: seven more accounts' requests pass.
        for n in 0..7 {
            let who = format!("user{n}");
            assert!(db.take_throttle(&both(&who), at(10)).await.unwrap().is_ok());
        }
        let refused = db.take_throttle(&both("zoe"), at(11)).await.unwrap();
        assert_eq!(refused.unwrap_err().limit, Limit::ResetAddress);
    }
}

#[tokio::test]
async fn forgiven_and_cleared_events_no_longer_count() {
    for db in backends().await {
        let mut tickets = Vec::new();
        for n in 0..5 {
            tickets.push(
                db.take_throttle(&pair("ada"), at(n))
                    .await
                    .unwrap()
                    .unwrap(),
            );
        }
        assert!(
            db.take_throttle(&pair("ada"), at(5))
                .await
                .unwrap()
                .is_err()
        );
        db.forgive_throttle(&tickets[0]).await.unwrap();
        assert!(db.take_throttle(&pair("ada"), at(6)).await.unwrap().is_ok());
        assert!(
            db.take_throttle(&pair("ada"), at(7))
                .await
                .unwrap()
                .is_err()
        );
        db.clear_throttle(Limit::SignInPair, "ada").await.unwrap();
        for n in 0..5 {
            assert!(
                db.take_throttle(&pair("ada"), at(8 + n))
                    .await
                    .unwrap()
                    .is_ok()
            );
        }
    }
}

#[tokio::test]
async fn a_rule_changed_in_the_database_is_the_one_in_force() {
    for db in backends().await {
        let rule = Rule {
            max: 2,
            window_secs: 60,
        };
        db.set_throttle_rule(Limit::SignInPair, rule).await.unwrap();
        let rules = db.throttle_rules().await.unwrap();
        assert!(rules.contains(&(Limit::SignInPair, rule)));
        assert!(rules.contains(&(Limit::SignInAccount, Limit::SignInAccount.default_rule())));
        assert!(db.take_throttle(&pair("ada"), at(0)).await.unwrap().is_ok());
        assert!(db.take_throttle(&pair("ada"), at(1)).await.unwrap().is_ok());
        let refused = db.take_throttle(&pair("ada"), at(2)).await.unwrap();
        assert_eq!(refused.unwrap_err().retry_after_secs, 58);
        assert!(
            db.take_throttle(&pair("ada"), at(60))
                .await
                .unwrap()
                .is_ok()
        );
        // A missing row falls back to the default.
        db.execute("DELETE FROM throttle_rules WHERE name = 'sign_in_pair'")
            .await;
        let rules = db.throttle_rules().await.unwrap();
        assert!(rules.contains(&(Limit::SignInPair, Limit::SignInPair.default_rule())));
    }
}

#[tokio::test]
async fn parallel_attempts_never_pass_more_than_the_limit() {
    for db in backends().await {
        let db = Arc::new(db);
        let mut tasks = Vec::new();
        for _ in 0..40 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                db.take_throttle(&pair("ada"), at(0)).await.unwrap().is_ok()
            }));
        }
        let mut passed = 0;
        for task in tasks {
            passed += usize::from(task.await.unwrap());
        }
        assert_eq!(passed, 5, "on {}", db.label);
    }
}

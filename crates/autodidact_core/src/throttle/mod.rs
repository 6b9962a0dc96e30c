//! Throttles on the paths that can be abused: signing in, checking a current password, signing
//! up, asking for a link to set a password, asking to follow a learner, writing journal
//! posts, suggesting changes to a curriculum's author and reviewing items.
//!
//! A throttle counts events per key (an account, an address, or the pair) over a sliding
//! window. The rules (how many events in how many seconds) are rows of `throttle_rules` in the
//! database, so that an operator changes them without a release and every node reads the same;
//! [`Limit::default_rule`] is what the first migration stores and what counts should a row be
//! missing. Counting is a reservation: [`service::take`] checks every key and records an event
//! for each in one transaction, so parallel attempts cannot all pass a check before any is
//! recorded. An attempt that turns out harmless (the right password) is forgiven afterwards.

pub mod service;

pub use service::{Throttled, take};

/// A throttled path and what is counted on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Wrong passwords for one account from one address: the tight limit, which an attacker
    /// elsewhere cannot use to lock the owner out.
    SignInPair,
    /// Wrong passwords for one account from anywhere: a slower cap against guessing from many
    /// addresses.
    SignInAccount,
    /// Wrong passwords from one address, for any account: against trying one password on many
    /// accounts.
    SignInAddress,
    /// Wrong current passwords given by a signed-in session (changing the password or the
    /// email, deleting the account), per account.
    PasswordCheck,
    /// Sign-ups from one address.
    SignUpAddress,
    /// Links to set a password asked for one account (so nobody can fill an inbox).
    ResetAccount,
    /// Links to set a password asked for from one address (so nobody can probe many accounts).
    ResetAddress,
    /// Requests to follow a learner, per account (so nobody can ask the whole instance).
    FollowRequest,
    /// Journal posts written or edited, per account.
    JournalPost,
    /// Item changes suggested to a curriculum's author, per account.
    Suggestion,
    /// Reviews of items written or edited, per account.
    ItemReview,
}

/// How many events a key may have in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub max: u32,
    pub window_secs: i64,
}

impl Limit {
    pub const ALL: [Limit; 11] = [
        Limit::SignInPair,
        Limit::SignInAccount,
        Limit::SignInAddress,
        Limit::PasswordCheck,
        Limit::SignUpAddress,
        Limit::ResetAccount,
        Limit::ResetAddress,
        Limit::FollowRequest,
        Limit::JournalPost,
        Limit::Suggestion,
        Limit::ItemReview,
    ];

    /// The rule's name in `throttle_rules`.
    pub fn name(self) -> &'static str {
        match self {
            Limit::SignInPair => "sign_in_pair",
            Limit::SignInAccount => "sign_in_account",
            Limit::SignInAddress => "sign_in_address",
            Limit::PasswordCheck => "password_check",
            Limit::SignUpAddress => "sign_up_address",
            Limit::ResetAccount => "reset_account",
            Limit::ResetAddress => "reset_address",
            Limit::FollowRequest => "follow_request",
            Limit::JournalPost => "journal_post",
            Limit::Suggestion => "suggestion",
            Limit::ItemReview => "item_review",
        }
    }

    pub fn from_name(name: &str) -> Option<Limit> {
        Limit::ALL.into_iter().find(|l| l.name() == name)
    }

    /// The rule the first migration stores (and the one used should its row be missing).
    pub fn default_rule(self) -> Rule {
        let rule = |max, minutes: i64| Rule {
            max,
            window_secs: minutes * 60,
        };
        match self {
            Limit::SignInPair => rule(5, 15),
            Limit::SignInAccount => rule(50, 60),
            Limit::SignInAddress => rule(50, 15),
            Limit::PasswordCheck => rule(5, 15),
            Limit::SignUpAddress => rule(10, 60),
            Limit::ResetAccount => rule(3, 15),
            Limit::ResetAddress => rule(10, 15),
            Limit::FollowRequest => rule(50, 24 * 60),
            Limit::JournalPost => rule(30, 60),
            Limit::Suggestion => rule(30, 24 * 60),
            Limit::ItemReview => rule(60, 24 * 60),
        }
    }
}

/// One event to count: the limit and the key it is counted under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub limit: Limit,
    pub key: String,
}

impl Hit {
    pub fn new(limit: Limit, key: impl Into<String>) -> Self {
        Hit {
            limit,
            key: key.into(),
        }
    }
}

/// The events one successful [`service::take`] recorded, to forgive them if the attempt turns
/// out harmless.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ticket(pub Vec<i64>);

/// Who is counted: the account a login names (the same key for its handle and its email) or,
/// for a login that names no account, the login itself (counted the same way, so the limits
/// reveal nothing about which accounts exist).
pub fn account_key(account: Option<crate::accounts::UserId>, login: &str) -> String {
    match account {
        Some(id) => format!("user:{}", id.0),
        None => format!("login:{}", login.trim().to_lowercase()),
    }
}

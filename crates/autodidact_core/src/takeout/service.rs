//! The takeout's use cases over the `Store` traits.

use jiff::Timestamp;

use super::model::Takeout;
use super::rules::{TakeoutError, from_document, read_document, to_document};
use crate::accounts::{Email, Handle, Settings, UserId};
use crate::store::{DataVersion, Store, StoreError, User};

/// Everything `user` owns, as one document, read at one moment. `None` when there is no such
/// user.
pub async fn export_account(
    store: &dyn Store,
    user: UserId,
    now: Timestamp,
) -> Result<Option<Takeout>, StoreError> {
    Ok(store
        .account_snapshot(user)
        .await?
        .map(|snapshot| to_document(&snapshot, now)))
}

/// What an import brought in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub curricula: usize,
    pub follows: usize,
    pub logs: usize,
    pub commitments: usize,
    pub reviews: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file itself is refused; nothing was written.
    #[error(transparent)]
    File(#[from] TakeoutError),
    /// A takeout goes into an empty account only, so that nothing is mixed or lost.
    #[error(
        "this account already holds curricula, plans, logs or commitments: import a takeout into a new, empty account"
    )]
    NotEmpty,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { constraint } if constraint == "account_not_empty" => {
                ImportError::NotEmpty
            }
            other => ImportError::Store(other),
        }
    }
}

/// Reads a takeout file and checks every value in it, writing nothing: for a front end that
/// must make the account to import into, and should not make it for a file that is refused.
pub fn check_takeout(bytes: &[u8]) -> Result<Takeout, TakeoutError> {
    let doc = read_document(bytes)?;
    let placeholder = User {
        id: UserId(0),
        handle: Handle::from_trusted(String::new()),
        display_name: String::new(),
        email: Email::from_trusted(String::new()),
        settings: Settings::default(),
        created_at: Timestamp::UNIX_EPOCH,
        data_version: DataVersion::default(),
    };
    from_document(&doc, &placeholder)?;
    Ok(doc)
}

/// Reads a takeout file and writes all of it into `user`'s empty account, or nothing at all.
pub async fn import_account(
    store: &dyn Store,
    user: &User,
    bytes: &[u8],
) -> Result<Imported, ImportError> {
    let doc = read_document(bytes)?;
    let data = from_document(&doc, user)?;
    store.import_account(user.id, &data).await?;
    Ok(Imported {
        curricula: data.curricula.len(),
        follows: data.follows.len(),
        logs: data.logs.len(),
        commitments: data.commitments.len(),
        reviews: data.follows.iter().map(|f| f.reviews.len()).sum(),
    })
}

//! Your data and your account: the takeout (download and import), a new email, deleting the
//! account, and a forgotten password's one-time link by email.
//!
//! The use cases are the core's (`autodidact_core::takeout`, `autodidact_core::accounts`);
//! `pages` translates forms to them, `api` the JSON API's takeout, `views` holds the templates.
//! Every password check here is throttled like a sign-in, and asking for a link is throttled
//! per address and per account, with the counts in the database.

pub(crate) mod api;
mod pages;
mod views;

use autodidact_core::accounts::{AccountError, Password, PasswordHasher};
use autodidact_core::secrets::HashError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::auth::password;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/account", get(pages::account_page))
        .route(
            "/settings/takeout",
            get(pages::download)
                .post(pages::import)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/settings/email", post(pages::change_email))
        .route(
            "/settings/delete",
            get(pages::delete_page).post(pages::delete),
        )
        .route(
            "/password/forgot",
            get(pages::forgot_page).post(pages::forgot),
        )
        .route(
            "/password/reset/{token}",
            get(pages::reset_page).post(pages::reset),
        )
}

/// argon2id on the blocking pool (`crate::auth::password`), for the core's account services.
#[derive(Debug, Clone, Copy)]
pub struct BlockingHasher;

#[async_trait::async_trait]
impl PasswordHasher for BlockingHasher {
    async fn hash(&self, password: Password) -> Result<String, HashError> {
        password::hash(password).await
    }

    async fn verify(&self, password: Password, stored: Option<String>) -> Result<bool, HashError> {
        password::verify(password, stored).await
    }
}

/// The form field an account error belongs next to.
fn field_of(e: &AccountError) -> &'static str {
    match e {
        AccountError::WrongPassword => "password",
        AccountError::Email(_) | AccountError::EmailTaken => "email",
        AccountError::NotConfirmed { .. } => "confirm",
        AccountError::Password(_) => "new",
        AccountError::LinkNotValid
        | AccountError::Throttled(_)
        | AccountError::Hash(_)
        | AccountError::Store(_) => "form",
    }
}

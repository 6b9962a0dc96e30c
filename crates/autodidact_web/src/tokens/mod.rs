//! Personal access tokens for the JSON API and the command line: the list, creating one
//! (shown once, never again: only its hash is stored) and revoking one.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::store::TokenScope;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{SignedIn, hash_token, random_token};
use crate::error::PageError;
use crate::page::{FieldErrors, Layout, local_time};

/// A learner may hold this many live tokens; past it, revoke one first.
const MAX_TOKENS: usize = 50;
const MAX_NAME_CHARS: usize = 80;
/// Tokens start with this, so secret scanners and people can tell what one is.
pub const TOKEN_PREFIX: &str = "adt_";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/tokens", get(list).post(create))
        .route("/settings/tokens/{id}/revoke", post(revoke))
}

struct TokenRow {
    id: i64,
    name: String,
    scope: &'static str,
    created: String,
    last_used: String,
}

/// A token just made: its secret, shown this once.
struct NewToken {
    name: String,
    scope: &'static str,
    secret: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "tokens/list.html")]
struct TokensPage {
    layout: Layout,
    tokens: Vec<TokenRow>,
    created: Option<NewToken>,
    name: String,
    scope: String,
    errors: FieldErrors,
    notice: Option<&'static str>,
}

fn scope_words(scope: TokenScope) -> &'static str {
    match scope {
        TokenScope::Read => "Read only",
        TokenScope::ReadWrite => "Read and write",
    }
}

async fn tokens_page(state: &AppState, who: &SignedIn) -> Result<TokensPage, PageError> {
    let zone = &who.user.settings.timezone;
    let tokens = state
        .store
        .tokens_of(who.user.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.0,
            name: t.name,
            scope: scope_words(t.scope),
            created: local_time(t.created_at, zone),
            last_used: t
                .last_used_at
                .map_or_else(|| "Never".to_owned(), |at| local_time(at, zone)),
        })
        .collect();
    Ok(TokensPage {
        layout: Layout::signed_in("API tokens", who),
        tokens,
        created: None,
        name: String::new(),
        scope: TokenScope::Read.as_str().to_owned(),
        errors: FieldErrors::default(),
        notice: None,
    })
}

#[derive(Debug, Deserialize)]
struct NoticeQuery {
    revoked: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<TokensPage, PageError> {
    let mut page = tokens_page(&state, &who).await?;
    if query.revoked.is_some() {
        page.notice = Some("The token is revoked: anything using it is refused from now on.");
    }
    Ok(page)
}

#[derive(Debug, Deserialize)]
struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
}

async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<Response, PageError> {
    let mut page = tokens_page(&state, &who).await?;
    let name = form.name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        page.errors.add(
            "name",
            format!("Name the token in 1 to {MAX_NAME_CHARS} characters, such as “laptop CLI”."),
        );
    }
    let scope = TokenScope::parse(&form.scope);
    if scope.is_none() {
        page.errors
            .add("scope", "Choose read only, or read and write.");
    }
    if page.tokens.len() >= MAX_TOKENS {
        page.errors.add(
            "name",
            format!(
                "You have {MAX_TOKENS} tokens, the most allowed: revoke one you no longer use."
            ),
        );
    }
    let Some(scope) = scope.filter(|_| page.errors.is_empty()) else {
        page.name = form.name;
        page.scope = form.scope;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let secret = format!("{TOKEN_PREFIX}{}", random_token());
    state
        .store
        .create_token(
            who.user.id,
            name,
            &hash_token(&secret),
            scope,
            Timestamp::now(),
        )
        .await?;
    let mut page = tokens_page(&state, &who).await?;
    page.created = Some(NewToken {
        name: name.to_owned(),
        scope: scope_words(scope),
        secret,
    });
    let mut response = (StatusCode::CREATED, page).into_response();
    // The secret is in this page alone: keep it out of every cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn revoke(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let id: i64 = id.parse().map_err(|_| PageError::NotFound)?;
    state
        .store
        .revoke_token(who.user.id, autodidact_core::store::TokenId(id))
        .await?;
    Ok(Redirect::to("/settings/tokens?revoked=1").into_response())
}

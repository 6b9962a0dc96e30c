//! The pages: translate forms to the core's services and render the outcome.

use autodidact_core::accounts::{
    AccountError, Attempt, Password, ask_password_reset, change_email as change, delete_account,
    finish_password_reset, reset_link_user, reset_url,
};
use autodidact_core::store::User;
use autodidact_core::takeout::{ImportError, export_account, import_account};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use jiff::Timestamp;
use serde::Deserialize;

use super::views::{AccountPage, DeletePage, ForgotPage, ResetPage};
use super::{BlockingHasher, field_of};
use crate::accounts::ClientIp;
use crate::app::AppState;
use crate::auth::csrf::{CsrfForm, anonymous_token};
use crate::auth::{SESSION_COOKIE, SignedIn, Viewer, removal_cookie};
use crate::curricula::upload::{Upload, limit_words, upload_limit};
use crate::error::PageError;
use crate::page::{FieldErrors, Layout, capitalise};

/// Whether the account holds anything an import would mix with.
async fn is_empty(state: &AppState, user: &User) -> Result<bool, PageError> {
    let store = state.store.as_ref();
    Ok(store.curricula_of(user.id).await?.is_empty()
        && store.follows_of(user.id).await?.is_empty()
        && store.recent_logs(user.id, 1).await?.is_empty()
        && store.commitments(user.id).await?.is_empty())
}

async fn page(state: &AppState, who: &SignedIn) -> Result<AccountPage, PageError> {
    Ok(AccountPage {
        layout: Layout::signed_in("Your data and account", who),
        email: who.user.email.as_str().to_owned(),
        new_email: String::new(),
        empty: is_empty(state, &who.user).await?,
        upload_limit: limit_words(&state.config),
        errors: FieldErrors::default(),
        notice: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn account_page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<SavedQuery>,
) -> Result<AccountPage, PageError> {
    let mut page = page(&state, &who).await?;
    page.notice = match query.saved.as_deref() {
        Some("email") => Some(format!("Your email is now {}.", who.user.email.as_str())),
        Some("imported") => Some("Your takeout is imported: everything in it is here.".to_owned()),
        _ => None,
    };
    Ok(page)
}

/// The takeout as a download, read at one moment.
pub async fn download(State(state): State<AppState>, who: SignedIn) -> Result<Response, PageError> {
    let now = Timestamp::now();
    let doc = export_account(state.store.as_ref(), who.user.id, now)
        .await?
        .ok_or(PageError::NotFound)?;
    let body = serde_json::to_vec_pretty(&doc).map_err(|e| PageError::Internal(e.to_string()))?;
    let name = format!(
        "autodidact-takeout-{}-{}.json",
        who.user.handle,
        who.user.today(now)
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

pub async fn import(
    State(state): State<AppState>,
    who: SignedIn,
    upload: Upload,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if upload.size > upload_limit(&state.config) {
        status = StatusCode::PAYLOAD_TOO_LARGE;
        errors.add(
            "file",
            format!(
                "The file is larger than the {} limit for uploads here: import it with `autodidact account import` on the server.",
                limit_words(&state.config)
            ),
        );
    } else if upload.size == 0 {
        errors.add("file", "Choose a takeout file to upload.");
    } else {
        match import_account(state.store.as_ref(), &who.user, &upload.bytes).await {
            Ok(_) => return Ok(Redirect::to("/settings/account?saved=imported").into_response()),
            Err(ImportError::Store(e)) => return Err(e.into()),
            Err(e) => errors.add("file", capitalise(&e.to_string())),
        }
    }
    let mut page = page(&state, &who).await?;
    page.errors = errors;
    Ok((status, page).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// A refusal next to its field, or an error page for what no field can fix.
fn refusal(e: AccountError) -> Result<FieldErrors, PageError> {
    match e {
        AccountError::Store(e) => Err(e.into()),
        AccountError::Hash(e) => Err(e.into()),
        AccountError::Throttled(t) => Err(t.into()),
        other => {
            let mut errors = FieldErrors::default();
            errors.add(field_of(&other), capitalise(&other.to_string()));
            Ok(errors)
        }
    }
}

pub async fn change_email(
    State(state): State<AppState>,
    who: SignedIn,
    ClientIp(ip): ClientIp,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> Result<Response, PageError> {
    let (store, now) = (state.store.as_ref(), Timestamp::now());
    let attempt = Attempt { address: &ip, now };
    let password = Password::for_sign_in(&form.password);
    match change(
        store,
        &BlockingHasher,
        &who.user,
        password,
        &form.email,
        attempt,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/settings/account?saved=email#email").into_response()),
        Err(e) => {
            let mut page = page(&state, &who).await?;
            page.errors = refusal(e)?;
            page.new_email = form.email;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn delete_view(state: &AppState, who: &SignedIn) -> Result<DeletePage, PageError> {
    let store = state.store.as_ref();
    let from = jiff::civil::date(1900, 1, 1);
    let to = jiff::civil::date(9999, 12, 31);
    Ok(DeletePage {
        layout: Layout::signed_in("Delete your account", who),
        handle: who.user.handle.as_str().to_owned(),
        curricula: store.curricula_of(who.user.id).await?.len(),
        logs: store.logs_between(who.user.id, from, to).await?.len(),
        errors: FieldErrors::default(),
    })
}

pub async fn delete_page(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<DeletePage, PageError> {
    delete_view(&state, &who).await
}

#[derive(Debug, Default, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    password: String,
}

pub async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Result<Response, PageError> {
    let (store, now) = (state.store.as_ref(), Timestamp::now());
    let attempt = Attempt { address: &ip, now };
    let password = Password::for_sign_in(&form.password);
    match delete_account(
        store,
        &BlockingHasher,
        &who.user,
        password,
        &form.confirm,
        attempt,
    )
    .await
    {
        Ok(()) => Ok((
            jar.remove(removal_cookie(SESSION_COOKIE)),
            Redirect::to("/?deleted=1"),
        )
            .into_response()),
        Err(e) => {
            let mut page = delete_view(&state, &who).await?;
            page.errors = refusal(e)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A forgotten password

fn forgot_view(state: &AppState, jar: CookieJar, login: String, sent: bool) -> Response {
    let (jar, csrf) = anonymous_token(jar, state.config.secure_cookies());
    let page = ForgotPage {
        layout: Layout::anonymous("Forgot your password?", csrf),
        login,
        sent,
        email_configured: state.mailer.is_some(),
    };
    (jar, page).into_response()
}

pub async fn forgot_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    jar: CookieJar,
) -> Response {
    if viewer.is_some() {
        return Redirect::to("/settings#password").into_response();
    }
    forgot_view(&state, jar, String::new(), false)
}

#[derive(Debug, Default, Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    login: String,
}

/// Sends a link when the account exists, and answers the same either way. The email goes out
/// after the answer, so that its time does not tell either.
pub async fn forgot(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<Response, PageError> {
    let (store, now) = (state.store.as_ref(), Timestamp::now());
    let login = form.login.trim().to_owned();
    if login.is_empty() {
        return Ok(forgot_view(&state, jar, login, false));
    }
    let mut random = [0u8; 32];
    rand::fill(&mut random);
    let attempt = Attempt { address: &ip, now };
    if let Some((user, token)) = ask_password_reset(store, &login, &random, attempt).await??
        && let Some(mailer) = state.mailer.clone()
    {
        let link = reset_url(&state.config.base_url, &token);
        let body = format!(
            "Hello {},\n\nSomeone (we hope you) asked to set a new password for @{} on Autodidact. \
             Open this link within an hour to choose one; it works once:\n\n{link}\n\n\
             If it was not you, ignore this email: your password stays as it is.\n",
            user.display_name, user.handle
        );
        tokio::spawn(async move {
            if let Err(e) = mailer
                .send(
                    user.email.as_str(),
                    "Set a new password for Autodidact",
                    body,
                )
                .await
            {
                tracing::error!(error = %e, "the email with a password link was not sent");
            }
        });
    }
    Ok(forgot_view(&state, jar, login, true))
}

fn reset_view(
    jar: CookieJar,
    state: &AppState,
    token: &str,
    user: Option<&User>,
) -> (CookieJar, ResetPage) {
    let (jar, csrf) = anonymous_token(jar, state.config.secure_cookies());
    let page = ResetPage {
        layout: Layout::anonymous("Set a new password", csrf),
        action: format!("/password/reset/{token}"),
        handle: user.map(|u| u.handle.as_str().to_owned()),
        errors: FieldErrors::default(),
    };
    (jar, page)
}

pub async fn reset_page(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    match reset_link_user(state.store.as_ref(), &token, Timestamp::now()).await {
        Ok(user) => Ok(reset_view(jar, &state, &token, Some(&user)).into_response()),
        Err(AccountError::LinkNotValid) => {
            Ok((StatusCode::NOT_FOUND, reset_view(jar, &state, &token, None)).into_response())
        }
        Err(e) => Err(refusal(e).err().unwrap_or(PageError::NotFound)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new: String,
}

pub async fn reset(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<Response, PageError> {
    let (store, now) = (state.store.as_ref(), Timestamp::now());
    match finish_password_reset(store, &BlockingHasher, &token, &form.new, now).await {
        Ok(_) => Ok((
            jar.remove(removal_cookie(SESSION_COOKIE)),
            Redirect::to("/signin?reset=1"),
        )
            .into_response()),
        Err(AccountError::LinkNotValid) => {
            Ok((StatusCode::NOT_FOUND, reset_view(jar, &state, &token, None)).into_response())
        }
        Err(e) => {
            let user = reset_link_user(store, &token, now).await.ok();
            let (jar, mut page) = reset_view(jar, &state, &token, user.as_ref());
            page.errors = refusal(e)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, page).into_response())
        }
    }
}

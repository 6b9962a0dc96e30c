//! Sign-up: at once on a server without email (a taken address is named, as there is no other
//! way to tell the person signing up), or through an emailed link on one with email, where the
//! answer is the same whether or not the address is taken (`core::accounts::signup`).

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::accounts::{
    Attempt, ConfirmSignUpError, Email, Handle, Password, SignUp, SignUpError, SignUpRequest,
    confirm_sign_up, parse_display_name, request_sign_up, sign_up, sign_up_url,
};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use jiff::Timestamp;
use serde::Deserialize;

use super::{ClientIp, start_session};
use crate::account::BlockingHasher;
use crate::app::AppState;
use crate::auth::Viewer;
use crate::auth::csrf::{CsrfForm, anonymous_token};
use crate::error::PageError;
use crate::page::{FieldErrors, Layout, capitalise};

#[derive(Debug, Default, Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    handle: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "signup.html")]
struct SignupPage {
    layout: Layout,
    form: SignupForm,
    errors: FieldErrors,
}

pub(super) async fn page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    jar: CookieJar,
) -> Response {
    if viewer.is_some() {
        return Redirect::to("/").into_response();
    }
    let (jar, csrf) = anonymous_token(jar, state.config.secure_cookies());
    let page = SignupPage {
        layout: Layout::anonymous("Sign up", csrf),
        form: SignupForm::default(),
        errors: FieldErrors::default(),
    };
    (jar, page).into_response()
}

pub(super) async fn submit(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<SignupForm>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let handle = errors.check("handle", Handle::parse(&form.handle));
    let display_name = errors.check("display_name", parse_display_name(&form.display_name));
    let email = errors.check("email", Email::parse(&form.email));
    let password = errors.check("password", Password::parse_new(&form.password));
    let (Some(handle), Some(display_name), Some(email), Some(password)) =
        (handle, display_name, email, password)
    else {
        return Ok(signup_again(&state, jar, form, errors));
    };
    let new = SignUp {
        handle,
        display_name,
        email,
        password,
    };
    let attempt = Attempt {
        address: &ip,
        now: Timestamp::now(),
    };
    if let Some(mailer) = state.mailer.clone() {
        return request_by_email(&state, jar, form, new, &mailer, attempt).await;
    }
    let created = sign_up(state.store.as_ref(), &BlockingHasher, new, attempt).await;
    let user = match created {
        Ok(user) => user,
        // Every field that clashes is named, not just the first.
        Err(SignUpError::Taken { handle, email }) => {
            if handle {
                errors.add("handle", "This handle is taken: choose another.");
            }
            if email {
                errors.add(
                    "email",
                    "An account with this email exists: sign in instead.",
                );
            }
            return Ok(signup_again(&state, jar, form, errors));
        }
        Err(SignUpError::Throttled(t)) => return Err(t.into()),
        Err(SignUpError::Hash(e)) => return Err(e.into()),
        Err(SignUpError::Store(e)) => return Err(e.into()),
    };
    let jar = start_session(&state, jar, user.id, &headers, &ip).await?;
    Ok((jar, Redirect::to("/")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "signup_check.html")]
struct CheckEmailPage {
    layout: Layout,
    email: String,
}

/// A sign-up on a server that sends email: the same page whether or not the address is
/// taken; the link to finish, or a word to the address's owner, goes by email after the
/// answer (so its time does not tell either).
async fn request_by_email(
    state: &AppState,
    jar: CookieJar,
    form: SignupForm,
    new: SignUp,
    mailer: &std::sync::Arc<crate::mail::Mailer>,
    attempt: Attempt<'_>,
) -> Result<Response, PageError> {
    let (email, handle) = (new.email.clone(), new.handle.clone());
    let mut random = [0u8; 32];
    rand::fill(&mut random);
    let requested =
        request_sign_up(state.store.as_ref(), &BlockingHasher, new, &random, attempt).await;
    let (subject, body) = match requested {
        Ok(SignUpRequest::Confirm { token }) => (
            "Finish signing up to Autodidact",
            format!(
                "Hello,\n\nSomeone (we hope you) signed up to Autodidact as @{handle} with this address. \
                 Open this link within a day to finish:\n\n{}\n\n\
                 If it was not you, ignore this email: no account is made.\n",
                sign_up_url(&state.config.base_url, &token)
            ),
        ),
        Ok(SignUpRequest::EmailTaken) => (
            "Someone tried to sign up to Autodidact with your address",
            format!(
                "Hello,\n\nSomeone (perhaps you) tried to sign up to Autodidact with this address, \
                 which already has an account. Nothing was changed.\n\n\
                 If it was you, sign in: {base}/signin, or set a new password: {base}/password/forgot\n\n\
                 If it was not you, ignore this email.\n",
                base = state.config.base_url.trim_end_matches('/')
            ),
        ),
        Err(SignUpError::Taken { .. }) => {
            let mut errors = FieldErrors::default();
            errors.add("handle", "This handle is taken: choose another.");
            return Ok(signup_again(state, jar, form, errors));
        }
        Err(SignUpError::Throttled(t)) => return Err(t.into()),
        Err(SignUpError::Hash(e)) => return Err(e.into()),
        Err(SignUpError::Store(e)) => return Err(e.into()),
    };
    let (to, mailer) = (email.as_str().to_owned(), mailer.clone());
    tokio::spawn(async move {
        if let Err(e) = mailer.send(&to, subject, body).await {
            tracing::error!(error = %e, "the sign-up email was not sent");
        }
    });
    let (jar, csrf) = anonymous_token(jar, state.config.secure_cookies());
    let page = CheckEmailPage {
        layout: Layout::anonymous("Check your email", csrf),
        email: email.as_str().to_owned(),
    };
    Ok((jar, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "signup_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    action: String,
    error: Option<String>,
}

/// The emailed link opens a page with one button: a link scanner that fetches the page does
/// not make the account.
pub(super) async fn confirm_page(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Response {
    let (jar, csrf) = anonymous_token(jar, state.config.secure_cookies());
    let page = ConfirmPage {
        layout: Layout::anonymous("Finish signing up", csrf),
        action: format!("/signup/confirm/{}", token_path(&token)),
        error: None,
    };
    (jar, page).into_response()
}

/// Only the characters a token has, so the form's address is this route's.
fn token_path(token: &str) -> String {
    token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(100)
        .collect()
}

pub(super) async fn confirm(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    match confirm_sign_up(state.store.as_ref(), &token, Timestamp::now()).await {
        Ok(user) => {
            let jar = start_session(&state, jar, user.id, &headers, &ip).await?;
            Ok((jar, Redirect::to("/")).into_response())
        }
        Err(ConfirmSignUpError::Store(e)) => Err(e.into()),
        Err(e @ (ConfirmSignUpError::LinkNotValid | ConfirmSignUpError::Taken)) => {
            let (jar, csrf) = anonymous_token(jar, state.config.secure_cookies());
            let page = ConfirmPage {
                layout: Layout::anonymous("Finish signing up", csrf),
                action: String::new(),
                error: Some(capitalise(&e.to_string())),
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, jar, page).into_response())
        }
    }
}

fn signup_again(
    state: &AppState,
    jar: CookieJar,
    mut form: SignupForm,
    errors: FieldErrors,
) -> Response {
    form.password.clear();
    let (jar, csrf) = anonymous_token(jar, state.config.secure_cookies());
    let page = SignupPage {
        layout: Layout::anonymous("Sign up", csrf),
        form,
        errors,
    };
    (axum::http::StatusCode::UNPROCESSABLE_ENTITY, jar, page).into_response()
}

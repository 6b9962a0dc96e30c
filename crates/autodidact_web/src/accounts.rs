//! Sign-up, sign-in and sign-out, settings, password changes and the sessions page.

mod pacing;
mod signup;

use std::net::{IpAddr, SocketAddr};

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::accounts::{
    AccountError, Attempt, Password, Settings, SignInError, WeekStart, Zone,
    change_password as change_password_of, parse_display_name, session_expiry, sign_in,
};
use autodidact_core::store::NewSession;
use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;
use jiff::Timestamp;
use serde::Deserialize;

use crate::account::BlockingHasher;
use crate::app::AppState;
use crate::auth::csrf::{CsrfForm, anonymous_token};
use crate::auth::{
    SESSION_COOKIE, SignedIn, Viewer, hash_token, random_token, removal_cookie, session_cookie,
};
use crate::error::PageError;
use crate::page::{FieldErrors, Layout, capitalise, local_time, safe_next};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup::page).post(signup::submit))
        .route(
            "/signup/confirm/{token}",
            get(signup::confirm_page).post(signup::confirm),
        )
        .route("/signin", get(signin_page).post(signin))
        .route("/signout", post(signout))
        .route("/settings", get(settings_page).post(save_settings))
        .route("/settings/password", post(change_password))
        .route("/settings/pacing", post(pacing::save))
        .route("/settings/sessions", get(sessions_page))
        .route("/settings/sessions/{id}/revoke", post(revoke_session))
}

/// The client's address, for throttling and the sessions page: the connection's, or behind
/// a trusted proxy (`WebConfig::trusted_proxies`) the address it forwarded for.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let ip = client_address(peer, &parts.headers, &state.config.trusted_proxies);
        Ok(ClientIp(
            ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string()),
        ))
    }
}

/// The client's address: the peer's, unless the peer is a trusted proxy; then the nearest
/// address of `X-Forwarded-For` (read from the right, as each proxy appends) that is not a
/// trusted proxy itself. A header that does not parse is not believed.
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let mut client = peer;
    for value in headers.get_all("x-forwarded-for").iter().rev() {
        let Ok(text) = value.to_str() else {
            return Some(client);
        };
        for part in text.rsplit(',') {
            let Ok(ip) = part.trim().parse::<IpAddr>() else {
                return Some(client);
            };
            client = ip;
            if !trusted.contains(&ip) {
                return Some(ip);
            }
        }
    }
    Some(client)
}

fn user_agent(headers: &HeaderMap) -> String {
    let ua = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown");
    ua.chars().take(200).collect()
}

/// Starts a session and returns the cookie jar that carries it.
async fn start_session(
    state: &AppState,
    jar: CookieJar,
    user: autodidact_core::accounts::UserId,
    headers: &HeaderMap,
    ip: &str,
) -> Result<CookieJar, PageError> {
    let token = random_token();
    let now = Timestamp::now();
    state
        .store
        .create_session(NewSession {
            token_hash: hash_token(&token),
            user,
            csrf_token: random_token(),
            now,
            expires_at: session_expiry(now, now, state.config.session_days),
            user_agent: user_agent(headers),
            ip: ip.to_owned(),
        })
        .await?;
    Ok(jar.add(session_cookie(&state.config, token)))
}

// ---------------------------------------------------------------------------------------------
// Sign-in and sign-out

#[derive(Template, WebTemplate)]
#[template(path = "signin.html")]
struct SigninPage {
    layout: Layout,
    login: String,
    next: String,
    error: Option<String>,
    notice: Option<&'static str>,
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
    reset: Option<String>,
}

async fn signin_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    jar: CookieJar,
    Query(query): Query<NextQuery>,
) -> Response {
    let next = safe_next(query.next.as_deref());
    if viewer.is_some() {
        return Redirect::to(&next).into_response();
    }
    let (jar, csrf) = anonymous_token(jar, state.config.secure_cookies());
    (
        jar,
        SigninPage {
            layout: Layout::anonymous("Sign in", csrf),
            login: String::new(),
            next,
            error: None,
            notice: query.reset.map(
                |_| "Your new password is set, and every session is signed out: sign in with it.",
            ),
        },
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct SigninForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn signin(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<SigninForm>,
) -> Result<Response, PageError> {
    let attempt = Attempt {
        address: &ip,
        now: Timestamp::now(),
    };
    let password = Password::for_sign_in(&form.password);
    let signed_in = sign_in(
        state.store.as_ref(),
        &BlockingHasher,
        &form.login,
        password,
        attempt,
    )
    .await;
    let next = safe_next(form.next.as_deref());
    match signed_in {
        Ok(user) => {
            let jar = start_session(&state, jar, user.id, &headers, &ip).await?;
            Ok((jar, Redirect::to(&next)).into_response())
        }
        Err(SignInError::Mismatch) => {
            let (jar, csrf) = anonymous_token(jar, state.config.secure_cookies());
            let page = SigninPage {
                layout: Layout::anonymous("Sign in", csrf),
                login: form.login,
                next,
                error: Some(
                    "That handle or email and password do not match an account.".to_owned(),
                ),
                notice: None,
            };
            Ok((axum::http::StatusCode::UNAUTHORIZED, jar, page).into_response())
        }
        Err(SignInError::Throttled(t)) => Err(t.into()),
        Err(SignInError::Hash(e)) => Err(e.into()),
        Err(SignInError::Store(e)) => Err(e.into()),
    }
}

async fn signout(
    State(state): State<AppState>,
    who: SignedIn,
    jar: CookieJar,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    state.store.delete_session(&who.token_hash).await?;
    Ok((
        jar.remove(removal_cookie(SESSION_COOKIE)),
        Redirect::to("/"),
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// Settings

const WEEKDAYS: [(i64, &str); 7] = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
];

/// Zones offered as suggestions; any IANA name is accepted.
const COMMON_ZONES: [&str; 16] = [
    "UTC",
    "Europe/London",
    "Europe/Amsterdam",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Africa/Lagos",
    "Australia/Sydney",
];

#[derive(Template, WebTemplate)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    display_name: String,
    timezone: String,
    week_start: i64,
    weekdays: [(i64, &'static str); 7],
    zones: [&'static str; 16],
    pacing: pacing::PacingForm,
    errors: FieldErrors,
    notice: Option<&'static str>,
    /// `Until 14 December a lower commitment still waits 7 days.`, while a shorter delay waits.
    delay_pending: Option<String>,
}

impl SettingsPage {
    fn new(who: &SignedIn) -> Self {
        Self {
            layout: Layout::signed_in("Settings", who),
            display_name: who.user.display_name.clone(),
            timezone: who.user.settings.timezone.name().to_owned(),
            week_start: i64::from(i8::from(who.user.settings.week_start)),
            weekdays: WEEKDAYS,
            zones: COMMON_ZONES,
            pacing: pacing::PacingForm::from(who.user.settings.pacing),
            delay_pending: pacing::pending_delay(&who.user, Timestamp::now()),
            errors: FieldErrors::default(),
            notice: None,
        }
    }
}

#[derive(Debug, Deserialize)]
struct NoticeQuery {
    saved: Option<String>,
}

async fn settings_page(who: SignedIn, Query(query): Query<NoticeQuery>) -> SettingsPage {
    let mut page = SettingsPage::new(&who);
    page.notice = match query.saved.as_deref() {
        Some("profile") => Some("Your settings are saved."),
        Some("pacing") => Some("Your pacing is saved."),
        Some("password") => {
            Some("Your password is changed, and every other session is signed out.")
        }
        _ => None,
    };
    page
}

#[derive(Debug, Deserialize)]
struct SettingsForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    timezone: String,
    #[serde(default)]
    week_start: String,
}

async fn save_settings(
    State(state): State<AppState>,
    who: SignedIn,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let name = errors.check("display_name", parse_display_name(&form.display_name));
    let zone = errors.check("timezone", Zone::parse(&form.timezone));
    let week_start = form
        .week_start
        .parse::<i64>()
        .ok()
        .filter(|n| (0..7).contains(n));
    if week_start.is_none() {
        errors.add("week_start", "Choose a weekday.");
    }
    let (Some(name), Some(zone), Some(week_start)) = (name, zone, week_start) else {
        let mut page = SettingsPage::new(&who);
        page.display_name = form.display_name;
        page.timezone = form.timezone;
        page.errors = errors;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let settings = Settings {
        timezone: zone,
        week_start: WeekStart::from_monday_zero(week_start),
        ..who.user.settings.clone()
    };
    state
        .store
        .update_profile(who.user.id, &name, &settings)
        .await?;
    Ok(Redirect::to("/settings?saved=profile").into_response())
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    /// `1`: also revoke the API tokens and calendar feed addresses.
    #[serde(default)]
    revoke_keys: String,
}

async fn change_password(
    State(state): State<AppState>,
    who: SignedIn,
    ClientIp(ip): ClientIp,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, PageError> {
    let attempt = Attempt {
        address: &ip,
        now: Timestamp::now(),
    };
    let current = Password::for_sign_in(&form.current);
    let changed = change_password_of(
        state.store.as_ref(),
        &BlockingHasher,
        &who.user,
        current,
        &form.new,
        &who.token_hash,
        form.revoke_keys == "1",
        attempt,
    )
    .await;
    let field = match changed {
        Ok(()) => return Ok(Redirect::to("/settings?saved=password").into_response()),
        Err(AccountError::WrongPassword) => {
            ("current", "This is not your current password.".to_owned())
        }
        Err(AccountError::Password(e)) => ("new", capitalise(&e.to_string())),
        Err(AccountError::Throttled(t)) => return Err(t.into()),
        Err(AccountError::Hash(e)) => return Err(e.into()),
        Err(AccountError::Store(e)) => return Err(e.into()),
        Err(
            e @ (AccountError::Email(_)
            | AccountError::EmailTaken
            | AccountError::NotConfirmed { .. }
            | AccountError::LinkNotValid),
        ) => {
            return Err(PageError::Internal(format!(
                "not a password change's error: {e}"
            )));
        }
    };
    let mut page = SettingsPage::new(&who);
    page.errors.add(field.0, field.1);
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

// ---------------------------------------------------------------------------------------------
// Sessions

struct SessionRow {
    id: i64,
    user_agent: String,
    ip: String,
    created: String,
    last_seen: String,
    current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "sessions.html")]
struct SessionsPage {
    layout: Layout,
    sessions: Vec<SessionRow>,
}

async fn sessions_page(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<SessionsPage, PageError> {
    let zone = &who.user.settings.timezone;
    let sessions = state
        .store
        .sessions_of(who.user.id, Timestamp::now())
        .await?
        .into_iter()
        .map(|s| SessionRow {
            id: s.id.0,
            current: s.id == who.session.id,
            user_agent: s.user_agent,
            ip: s.ip,
            created: local_time(s.created_at, zone),
            last_seen: local_time(s.last_seen_at, zone),
        })
        .collect();
    Ok(SessionsPage {
        layout: Layout::signed_in("Your sessions", &who),
        sessions,
    })
}

async fn revoke_session(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    state
        .store
        .revoke_session(who.user.id, autodidact_core::store::SessionId(id))
        .await?;
    Ok(Redirect::to("/settings/sessions").into_response())
}

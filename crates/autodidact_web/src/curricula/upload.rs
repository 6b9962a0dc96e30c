//! Starting a curriculum from an uploaded file: a curriculum TOML file, a Trello board export,
//! a Markdown checklist or a roadmap.sh file, read by the core's `import_bytes`.
//!
//! The form is multipart, so [`CsrfForm`](crate::auth::csrf::CsrfForm) cannot read it;
//! [`Upload`] checks its `csrf` field the same way. The file is counted as it arrives and
//! dropped past the limit, and nothing is stored unless the whole import succeeded.

use std::str::FromStr;

use autodidact_core::curricula::{import_curriculum, likely_duplicate};
use autodidact_core::import::{MAX_IMPORT_BYTES, SourceFormat, import_bytes};
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{Choice, ListPage};
use crate::app::{AppState, WebConfig};
use crate::auth::csrf::{expected_token, tokens_match};
use crate::auth::{SignedIn, Viewer};
use crate::error::PageError;
use crate::page::{FieldErrors, capitalise};

/// Room left in the request body for the other fields and the multipart framing, so that a
/// file just over the upload limit gets the message below rather than the bare body limit.
const FORM_ROOM: usize = 64 * 1024;

/// The largest file accepted: the import limit, or less when requests are limited to less.
pub fn upload_limit(config: &WebConfig) -> usize {
    MAX_IMPORT_BYTES.min(config.max_body_bytes.saturating_sub(FORM_ROOM))
}

/// The limit as a person reads it, rounded down so that a file of that size is accepted:
/// `3.9 MB`, `32 MB`.
pub fn limit_words(config: &WebConfig) -> String {
    let tenths = (upload_limit(config) * 10) / (1024 * 1024);
    if tenths.is_multiple_of(10) {
        format!("{} MB", tenths / 10)
    } else {
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

fn too_large_message(config: &WebConfig) -> String {
    format!(
        "The file is larger than the {} limit for uploads: export a smaller part, or split the file.",
        limit_words(config)
    )
}

/// The format menu, with "detect" first.
pub fn format_choices(selected: &str) -> Vec<Choice> {
    let named = [
        ("toml", "Curriculum TOML file"),
        ("trello", "Trello board export (JSON)"),
        ("markdown", "Markdown checklist or table"),
        ("roadmapsh", "roadmap.sh roadmap (JSON)"),
    ];
    std::iter::once(("", "Detect it for me"))
        .chain(named)
        .map(|(value, label)| Choice {
            value: value.to_owned(),
            label: label.to_owned(),
            selected: value == selected,
        })
        .collect()
}

/// A multipart import form whose `csrf` field matched the viewer's token.
#[derive(Debug, Default)]
pub struct Upload {
    pub format: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The file's whole size, also when it was too large to keep.
    pub size: usize,
    /// Import it as a new curriculum even when one with its title exists.
    pub again: bool,
}

fn unreadable(err: MultipartError) -> PageError {
    PageError::BadRequest(format!(
        "The upload could not be read: {}.",
        err.body_text()
    ))
}

/// Reads the form's fields, keeping at most `limit` bytes of the file but counting them all.
async fn read_fields(
    multipart: &mut Multipart,
    limit: usize,
    upload: &mut Upload,
    csrf: &mut String,
) -> Result<(), MultipartError> {
    while let Some(mut field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "csrf" => *csrf = field.text().await?,
            "format" => upload.format = field.text().await?,
            "again" => upload.again = !field.text().await?.is_empty(),
            "file" => {
                upload.file_name = field.file_name().unwrap_or_default().to_owned();
                while let Some(chunk) = field.chunk().await? {
                    upload.size += chunk.len();
                    if upload.size <= limit {
                        upload.bytes.extend_from_slice(&chunk);
                    } else {
                        upload.bytes = Vec::new();
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

impl FromRequest<AppState> for Upload {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let Viewer(viewer) = Viewer::from_request_parts(&mut parts, state).await?;
        let expected = expected_token(viewer.as_ref(), &parts.headers);
        let request = Request::from_parts(parts, body);
        let mut multipart = Multipart::from_request(request, state)
            .await
            .map_err(|e| PageError::BadRequest(format!("The upload could not be read: {e}.")))?;
        let limit = upload_limit(&state.config);
        let mut upload = Upload::default();
        let mut csrf = String::new();
        // Cut short by the request limit (a body sent without its length): say why, without
        // the page, as the token could not be checked.
        read_fields(&mut multipart, limit, &mut upload, &mut csrf)
            .await
            .map_err(|err| match err.status() {
                StatusCode::PAYLOAD_TOO_LARGE => {
                    PageError::BadRequest(too_large_message(&state.config))
                }
                _ => unreadable(err),
            })?;
        if !tokens_match(&csrf, &expected) {
            return Err(PageError::Csrf);
        }
        Ok(upload)
    }
}

/// `notes/Rust plan.v2.md` → `Rust plan.v2`.
fn stem(file_name: &str) -> &str {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    base.rsplit_once('.').map_or(base, |(stem, _)| stem)
}

pub async fn import(
    State(state): State<AppState>,
    who: SignedIn,
    upload: Upload,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let format = match upload.format.as_str() {
        "" => None,
        raw => errors.check("format", SourceFormat::from_str(raw)),
    };
    let limit = upload_limit(&state.config);
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if upload.size > limit {
        status = StatusCode::PAYLOAD_TOO_LARGE;
        errors.add("file", too_large_message(&state.config));
    } else if upload.file_name.is_empty() && upload.size == 0 {
        errors.add("file", "Choose a file to upload.");
    }
    if errors.is_empty() {
        match import_bytes(&upload.bytes, format, stem(&upload.file_name)) {
            Ok(imported)
                if !upload.again
                    && let Some(existing) = likely_duplicate(
                        state.store.as_ref(),
                        who.user.id,
                        &imported.curriculum,
                    )
                    .await? =>
            {
                let mut page = ListPage::load(&state, &who).await?;
                page.formats = format_choices(&upload.format);
                page.duplicate = Some((existing.title, format!("/curricula/{}", existing.id.0)));
                return Ok((StatusCode::CONFLICT, page).into_response());
            }
            Ok(imported) => {
                let record = import_curriculum(
                    state.store.as_ref(),
                    who.user.id,
                    &imported,
                    jiff::Timestamp::now(),
                )
                .await?;
                // The report, and every item's hours to check in one form.
                return Ok(
                    Redirect::to(&format!("/curricula/{}/hours?imported", record.id.0))
                        .into_response(),
                );
            }
            Err(e) => errors.add("file", capitalise(&e.to_string())),
        }
    }
    let mut page = ListPage::load(&state, &who).await?;
    page.formats = format_choices(&upload.format);
    page.errors = errors;
    Ok((status, page).into_response())
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn the_fallback_title_is_the_file_name_without_folder_or_extension() {
        assert_eq!(stem("notes/Rust plan.v2.md"), "Rust plan.v2");
        assert_eq!(stem("C:\\Users\\ada\\board.json"), "board");
        assert_eq!(stem("README"), "README");
    }
}

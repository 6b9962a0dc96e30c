//! The pages of this feature.

use askama::Template;
use askama_web::WebTemplate;

use crate::page::{FieldErrors, Layout};

#[derive(Template, WebTemplate)]
#[template(path = "account/data.html")]
pub struct AccountPage {
    pub layout: Layout,
    pub email: String,
    pub new_email: String,
    /// Whether an import can go into this account: it holds nothing yet.
    pub empty: bool,
    pub upload_limit: String,
    pub errors: FieldErrors,
    pub notice: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/delete.html")]
pub struct DeletePage {
    pub layout: Layout,
    pub handle: String,
    pub curricula: usize,
    pub logs: usize,
    pub errors: FieldErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/forgot.html")]
pub struct ForgotPage {
    pub layout: Layout,
    pub login: String,
    /// After a request: the same words whether or not the account exists.
    pub sent: bool,
    pub email_configured: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/reset.html")]
pub struct ResetPage {
    pub layout: Layout,
    pub action: String,
    /// Whom the link is for; none when it is not (or no longer) valid.
    pub handle: Option<String>,
    pub errors: FieldErrors,
}

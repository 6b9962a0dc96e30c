//! The learner's dashboard: what is next this week, hours against the budget, the streak and
//! recent logs.

use askama::Template;
use askama_web::WebTemplate;

use crate::app::AppState;
use crate::auth::SignedIn;
use crate::error::PageError;
use crate::home::{TemplateCard, template_cards};
use crate::page::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    layout: Layout,
    templates: Vec<TemplateCard>,
}

pub async fn page(_state: &AppState, who: &SignedIn) -> Result<DashboardPage, PageError> {
    Ok(DashboardPage {
        layout: Layout::signed_in("Dashboard", who),
        templates: template_cards(),
    })
}

//! One date style on every page: a day reads `Mon 7 Dec` (`Mon 7 Dec 2027` in another year);
//! ISO dates stay in form values, links and `<time datetime>`, never in the text a learner reads.

use jiff::ToSpan;
use scraper::{ElementRef, Html, Node};

use crate::logs::{add_log, learner_following_from, today};
use crate::support::TestApp;

/// The text a reader sees: every text node outside scripts, styles, code and form controls.
fn visible_text(html: &Html) -> String {
    fn walk(element: ElementRef<'_>, out: &mut String) {
        let name = element.value().name();
        if matches!(
            name,
            "script" | "style" | "code" | "textarea" | "select" | "option" | "template"
        ) {
            return;
        }
        for child in element.children() {
            match child.value() {
                Node::Text(text) => {
                    out.push_str(text);
                    out.push(' ');
                }
                Node::Element(_) => {
                    if let Some(e) = ElementRef::wrap(child) {
                        walk(e, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(html.root_element(), &mut out);
    out
}

/// Where `dddd-dd-dd` first appears, if it does.
fn iso_date_at(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let digits =
        |from: usize, n: usize| (from..from + n).all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    (0..b.len()).find(|&i| {
        digits(i, 4)
            && b.get(i + 4) == Some(&b'-')
            && digits(i + 5, 2)
            && b.get(i + 7) == Some(&b'-')
            && digits(i + 8, 2)
    })
}

/// Whether `month`, written out, follows a day number somewhere: `12 March`.
fn day_before(text: &str, month: &str) -> bool {
    text.match_indices(&format!(" {month}"))
        .any(|(at, _)| text[..at].ends_with(|c: char| c.is_ascii_digit()))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    // "May" is the same long and short.
    "Sept",
];

#[tokio::test]
async fn every_page_writes_its_days_one_way() {
    let app = TestApp::new().await;
    let start = today().checked_sub(40.days()).unwrap();
    let mut ada = learner_following_from(&app, "ada", start).await;
    for back in [1, 3, 9, 20, 33] {
        add_log(&app, ada.id, 50, today().checked_sub(back.days()).unwrap()).await;
    }
    let follow = ada.follow.0;
    let from = today().checked_add(20.days()).unwrap();
    let to = from.checked_add(9.days()).unwrap();
    ada.client.get(&format!("/follows/{follow}")).await;
    let added = ada
        .client
        .post(
            &format!("/follows/{follow}/breaks"),
            &[("break", &format!("{from}..{to}"))],
        )
        .await;
    assert_eq!(added.status.as_u16(), 303, "{}", added.body);

    let mut seen_days = 0;
    for path in [
        "/".to_owned(),
        "/dashboard".to_owned(),
        "/logs".to_owned(),
        "/week".to_owned(),
        "/commitments".to_owned(),
        "/reviews".to_owned(),
        "/follows".to_owned(),
        format!("/follows/{follow}"),
        format!("/follows/{follow}/board"),
        format!("/follows/{follow}/items/fast-ai-part-1"),
    ] {
        let page = ada.client.get(&path).await;
        assert_eq!(page.status.as_u16(), 200, "{path}");
        let text = visible_text(&page.html());
        if let Some(at) = iso_date_at(&text) {
            panic!(
                "{path} writes an ISO date: {:?}",
                &text[at.saturating_sub(60)..at + 10]
            );
        }
        for month in MONTHS {
            assert!(
                !text.contains(&format!(" {month} ")) || !day_before(&text, month),
                "{path} writes a day as “… {month}”"
            );
        }
        seen_days += ["Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun "]
            .iter()
            .map(|w| {
                text.match_indices(w)
                    .filter(|(at, _)| text[at + 4..].starts_with(|c: char| c.is_ascii_digit()))
                    .count()
            })
            .sum::<usize>();
    }
    // The pages do write days: the plan's spans, the break, the logs, the week.
    assert!(seen_days > 10, "{seen_days}");
}

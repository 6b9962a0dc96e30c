//! The tables the benchmark prints.

use crate::sim::Model;
use crate::{BUCKETS, HIGH, LOW, MIN_JUDGED, Outcome, POINTS};

// ---------------------------------------------------------------------------------------------
// The table

fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    Some(xs[xs.len() / 2])
}

pub fn share(xs: impl Iterator<Item = bool>) -> f64 {
    let (yes, all) = xs.fold((0usize, 0usize), |(y, a), x| (y + usize::from(x), a + 1));
    if all == 0 {
        f64::NAN
    } else {
        yes as f64 / all as f64
    }
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (sum, all) = xs.fold((0.0, 0usize), |(s, a), x| (s + x, a + 1));
    if all == 0 { f64::NAN } else { sum / all as f64 }
}

fn percent(x: Option<f64>) -> String {
    x.filter(|x| x.is_finite())
        .map_or("—".to_owned(), |x| format!("{:.0} %", x * 100.0))
}

/// A model × horizon cell with enough forecasts to be judged.
pub struct Judged {
    pub name: String,
    pub cover: f64,
    pub n: usize,
}

impl Judged {
    pub fn inside(&self) -> bool {
        (LOW..=HIGH).contains(&self.cover)
    }

    /// How far outside 75–85 % the coverage lies, in percentage points (signed: below is
    /// negative).
    pub fn by(&self) -> f64 {
        if self.cover < LOW {
            (self.cover - LOW) * 100.0
        } else {
            (self.cover - HIGH).max(0.0) * 100.0
        }
    }
}

/// Prints the table; returns the judged cells (`n ≥ MIN_JUDGED`, per model).
pub fn table(outcomes: &[Outcome]) -> Vec<Judged> {
    let mut judged_cells = Vec::new();
    println!(
        "| model | forecast horizon | n | cover | before | after | width (days) | width / left | \\|likely − real\\| / left | after likely | old cover | old width / left |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut print_cell = |name: &str, horizon: &str, cell: &[&Outcome], judged: bool| {
        let n = cell.len();
        let cover = share(cell.iter().map(|o| o.covered));
        let before = share(cell.iter().map(|o| o.side < 0));
        let after_range = share(cell.iter().map(|o| o.side > 0));
        let width = median(cell.iter().map(|o| o.width_days).collect());
        let rel_width = median(
            cell.iter()
                .filter_map(|o| o.relative.map(|r| r.0))
                .collect(),
        );
        let error = median(
            cell.iter()
                .filter_map(|o| o.relative.map(|r| r.1))
                .collect(),
        );
        let after = mean(cell.iter().filter_map(|o| o.after_likely));
        let old = share(cell.iter().map(|o| o.old_covered));
        let old_width = median(cell.iter().filter_map(|o| o.old_relative_width).collect());
        let flag = if !judged || n < MIN_JUDGED {
            ""
        } else {
            let cell = Judged {
                name: format!("{name} {horizon}"),
                cover,
                n,
            };
            let flag = if cell.inside() { "" } else { " ✗" };
            judged_cells.push(cell);
            flag
        };
        println!(
            "| {name} | {horizon} | {n} | {}{flag} | {} | {} | {} | {} | {} | {} | {} | {} |",
            percent(Some(cover)),
            percent(Some(before)),
            percent(Some(after_range)),
            width.map_or("—".to_owned(), |w| format!("{w:.0}")),
            percent(rel_width),
            percent(error),
            percent(Some(after)),
            percent(Some(old)),
            percent(old_width),
        );
    };
    for model in Model::ALL {
        for (b, horizon) in BUCKETS.iter().enumerate() {
            let cell: Vec<&Outcome> = outcomes
                .iter()
                .filter(|o| o.model == model && o.bucket == b)
                .collect();
            print_cell(model.name(), horizon, &cell, true);
        }
    }
    for (b, horizon) in BUCKETS.iter().enumerate() {
        let cell: Vec<&Outcome> = outcomes.iter().filter(|o| o.bucket == b).collect();
        print_cell("**all**", horizon, &cell, false);
    }
    let all: Vec<&Outcome> = outcomes.iter().collect();
    print_cell("**all**", "all", &all, false);
    judged_cells
}

/// The `--check` verdict on one line: every failing cell with its coverage and how far outside
/// the band it lies.
pub fn check_line(cells: &[Judged]) -> String {
    let misses: Vec<String> = cells
        .iter()
        .filter(|c| !c.inside())
        .map(|c| {
            format!(
                "{} {:.1} % ({:+.1} pt, n = {})",
                c.name,
                c.cover * 100.0,
                c.by(),
                c.n
            )
        })
        .collect();
    if misses.is_empty() {
        format!(
            "check: PASS, all {} judged cells (n ≥ {MIN_JUDGED}) cover 75–85 %",
            cells.len()
        )
    } else {
        format!(
            "check: FAIL, {} of {} judged cells (n ≥ {MIN_JUDGED}) outside 75–85 %: {}",
            misses.len(),
            cells.len(),
            misses.join("; ")
        )
    }
}

/// Coverage by forecast point (weeks of history), with the misses before and after.
pub fn detail_table(outcomes: &[Outcome]) {
    println!(
        "\n| model | {} |",
        POINTS.map(|p| format!("w{p}")).join(" | ")
    );
    for model in Model::ALL {
        let cells: Vec<String> = POINTS
            .iter()
            .map(|&p| {
                let cell: Vec<&Outcome> = outcomes
                    .iter()
                    .filter(|o| o.model == model && o.point == p)
                    .collect();
                format!(
                    "{:.0}/{:.0}/{:.0}",
                    share(cell.iter().map(|o| o.covered)) * 100.0,
                    share(cell.iter().map(|o| o.side < 0)) * 100.0,
                    share(cell.iter().map(|o| o.side > 0)) * 100.0,
                )
            })
            .collect();
        println!("| {} | {} |", model.name(), cells.join(" | "));
    }
    // The shortest and the longest horizons by point: early points (little record) against
    // late ones.
    for (b, name) in [
        (0, BUCKETS[0]),
        (BUCKETS.len() - 1, BUCKETS[BUCKETS.len() - 1]),
    ] {
        println!("\nhorizon {name} only: n: cover/before/after, by point");
        for model in Model::ALL {
            let cells: Vec<String> = POINTS
                .iter()
                .map(|&p| {
                    let cell: Vec<&Outcome> = outcomes
                        .iter()
                        .filter(|o| o.model == model && o.point == p && o.bucket == b)
                        .collect();
                    format!(
                        "{}: {:.0}/{:.0}/{:.0}",
                        cell.len(),
                        share(cell.iter().map(|o| o.covered)) * 100.0,
                        share(cell.iter().map(|o| o.side < 0)) * 100.0,
                        share(cell.iter().map(|o| o.side > 0)) * 100.0,
                    )
                })
                .collect();
            println!("| {} | {} |", model.name(), cells.join(" | "));
        }
    }
    println!("\nnever finishing: n, covered (late end past the cap), by point");
    for model in Model::ALL {
        let cells: Vec<String> = POINTS
            .iter()
            .map(|&p| {
                let cell: Vec<&Outcome> = outcomes
                    .iter()
                    .filter(|o| o.model == model && o.point == p && o.pace_error.is_none())
                    .collect();
                format!(
                    "{}:{:.0}",
                    cell.len(),
                    share(cell.iter().map(|o| o.covered)) * 100.0
                )
            })
            .collect();
        println!("| {} | {} |", model.name(), cells.join(" | "));
    }
    println!("\npace: median ln(real / forecast), by point");
    for model in Model::ALL {
        let cells: Vec<String> = POINTS
            .iter()
            .map(|&p| {
                let cell: Vec<f64> = outcomes
                    .iter()
                    .filter(|o| o.model == model && o.point == p)
                    .filter_map(|o| o.pace_error)
                    .collect();
                format!("{:+.2}", median(cell).unwrap_or(f64::NAN))
            })
            .collect();
        println!("| {} | {} |", model.name(), cells.join(" | "));
    }
    println!("\nwork left: median ln(true / forecast median), share above, by point");
    for model in Model::ALL {
        let cells: Vec<String> = POINTS
            .iter()
            .map(|&p| {
                let cell: Vec<f64> = outcomes
                    .iter()
                    .filter(|o| o.model == model && o.point == p)
                    .map(|o| o.work_error)
                    .collect();
                format!(
                    "{:+.2}/{:.0}",
                    median(cell.clone()).unwrap_or(f64::NAN),
                    share(cell.iter().map(|e| *e > 0.0)) * 100.0
                )
            })
            .collect();
        println!("| {} | {} |", model.name(), cells.join(" | "));
    }
}

/// Coverage by the true time left, for comparison (not judged: it selects on the outcome).
pub fn true_left_table(outcomes: &[Outcome]) {
    println!(
        "\n| model | {} |",
        BUCKETS.map(|b| format!("true left {b}")).join(" | ")
    );
    println!("|---|---|---|---|---|");
    for model in Model::ALL {
        let cells: Vec<String> = (0..BUCKETS.len())
            .map(|b| {
                let cell: Vec<&Outcome> = outcomes
                    .iter()
                    .filter(|o| o.model == model && o.true_bucket == b)
                    .collect();
                format!(
                    "{} ({})",
                    percent(Some(share(cell.iter().map(|o| o.covered)))),
                    cell.len()
                )
            })
            .collect();
        println!("| {} | {} |", model.name(), cells.join(" | "));
    }
}

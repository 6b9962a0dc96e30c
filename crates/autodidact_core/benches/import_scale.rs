//! The importer on inputs that used to take quadratic time: many identical titles, titles in a
//! script that gives no slug, and a large checklist of repeated lines. Prints the best of three
//! runs of each.
//!
//! ```sh
//! cargo bench -p autodidact_core --bench import_scale
//! ```

use std::time::{Duration, Instant};

use autodidact_core::import::{SourceFormat, import_bytes};

fn trello(cards: usize, name: impl Fn(usize) -> String) -> String {
    let cards: Vec<String> = (0..cards)
        .map(|n| {
            format!(
                r#"{{"id":"c{n}","idList":"l","name":"{}","desc":"","closed":false,"pos":{n},"labels":[]}}"#,
                name(n)
            )
        })
        .collect();
    format!(
        r#"{{"name":"Board","lists":[{{"id":"l","name":"Topics","closed":false,"pos":1}}],"cards":[{}],"checklists":[]}}"#,
        cards.join(",")
    )
}

fn best_of_three(what: &str, bytes: &[u8], format: SourceFormat) {
    let mut best = Duration::MAX;
    let mut items = 0;
    for _ in 0..3 {
        let start = Instant::now();
        match import_bytes(bytes, Some(format), "Bench") {
            Ok(imported) => items = imported.curriculum.items().count(),
            Err(e) => {
                println!("{what}: refused: {e}");
                return;
            }
        }
        best = best.min(start.elapsed());
    }
    println!(
        "{what}: {items} items, {:.1} KB, best of 3: {:.1} ms",
        bytes.len() as f64 / 1024.0,
        best.as_secs_f64() * 1000.0
    );
}

fn main() {
    let same = "- [ ] Read the chapter again\n".repeat(20_000);
    best_of_three(
        "Markdown, 20,000 identical titles",
        same.as_bytes(),
        SourceFormat::Markdown,
    );
    let board = trello(20_000, |_| "Watch the lecture".to_owned());
    best_of_three(
        "Trello, 20,000 identical card names",
        board.as_bytes(),
        SourceFormat::Trello,
    );
    let japanese = ["機械学習の基礎", "線形代数", "確率と統計", "深層学習入門"];
    let board = trello(8_000, |n| japanese[n % japanese.len()].to_owned());
    best_of_three(
        "Trello, 8,000 cards named in Japanese",
        board.as_bytes(),
        SourceFormat::Trello,
    );
    let lines = [
        "- [ ] Practice problems",
        "- [x] Review notes",
        "- [ ] Flashcards",
    ];
    let mut big = String::from("# Repeated\n\n");
    let mut n = 0;
    while big.len() < 2 * 1024 * 1024 {
        big.push_str(lines[n % lines.len()]);
        big.push('\n');
        n += 1;
    }
    best_of_three(
        "Markdown, a 2 MB checklist of repeated lines",
        big.as_bytes(),
        SourceFormat::Markdown,
    );
}

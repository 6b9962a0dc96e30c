//! WCAG AA contrast, read from the stylesheet itself, in the light and the dark theme: text at
//! least 4.5:1 against every surface it sits on, and the marks a chart is read by (bars, lines,
//! the heatmap's levels, the forecast band's edges) at least 3:1 against the card they are drawn
//! on (WCAG 1.4.3 and 1.4.11).

use std::collections::HashMap;

const CSS: &str = include_str!("../../static/app.css");

type Rgb = [f64; 3];

/// The custom properties of the light `:root` block, and of the dark one laid over them.
fn themes() -> [(&'static str, HashMap<String, String>); 2] {
    let light_at = CSS.find(":root {").unwrap();
    let light = properties(block_after(&CSS[light_at..]));
    let dark_at = CSS.find("@media (prefers-color-scheme: dark)").unwrap();
    let dark_root = dark_at + CSS[dark_at..].find(":root {").unwrap();
    let mut dark = light.clone();
    dark.extend(properties(block_after(&CSS[dark_root..])));
    [("light", light), ("dark", dark)]
}

/// The text between the first `{` and its `}` (no nesting inside a rule).
fn block_after(text: &str) -> &str {
    let open = text.find('{').unwrap() + 1;
    let close = open + text[open..].find('}').unwrap();
    &text[open..close]
}

fn properties(block: &str) -> HashMap<String, String> {
    let mut text = block.to_owned();
    while let Some(open) = text.find("/*") {
        let close = open + text[open..].find("*/").unwrap() + 2;
        text.replace_range(open..close, "");
    }
    text.split(';')
        .filter_map(|decl| {
            let (name, value) = decl.split_once(':')?;
            Some((name.trim().to_owned(), value.trim().to_owned()))
        })
        .collect()
}

/// The declarations of the first rule whose selector is exactly `selector`.
fn rule(selector: &str) -> HashMap<String, String> {
    let at = CSS
        .match_indices(selector)
        .map(|(at, _)| at)
        .find(|&at| {
            let before = CSS[..at].chars().next_back();
            let after = CSS[at + selector.len()..].trim_start();
            before.is_none_or(|c| c == '\n' || c == ' ' || c == '}') && after.starts_with('{')
        })
        .unwrap_or_else(|| panic!("no rule {selector}"));
    properties(block_after(&CSS[at..]))
}

fn hex(text: &str) -> Rgb {
    let h = text.trim().trim_start_matches('#');
    let h: String = if h.len() == 3 {
        h.chars().flat_map(|c| [c, c]).collect()
    } else {
        h.to_owned()
    };
    let byte = |i: usize| f64::from(u8::from_str_radix(&h[i..i + 2], 16).unwrap()) / 255.0;
    [byte(0), byte(2), byte(4)]
}

/// A colour value as (colour, opacity): `#hex`, `var(--x)`, or
/// `color-mix(in srgb, A p%, B)` with `B` a colour or `transparent`.
fn colour(value: &str, vars: &HashMap<String, String>) -> (Rgb, f64) {
    let value = value.trim();
    if let Some(name) = value.strip_prefix("var(").and_then(|v| v.strip_suffix(')')) {
        return colour(&vars[name.trim()], vars);
    }
    if let Some(inner) = value
        .strip_prefix("color-mix(in srgb,")
        .and_then(|v| v.strip_suffix(')'))
    {
        let (first, second) = split_top(inner);
        let (a, p) = first.trim().rsplit_once(' ').unwrap();
        let p: f64 = p.trim_end_matches('%').parse::<f64>().unwrap() / 100.0;
        let (a, _) = colour(a, vars);
        if second.trim() == "transparent" {
            return (a, p);
        }
        let (b, _) = colour(second, vars);
        return (mix(a, b, p), 1.0);
    }
    (hex(value), 1.0)
}

/// `A, B` split at the comma outside brackets.
fn split_top(text: &str) -> (&str, &str) {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => return (&text[..i], &text[i + 1..]),
            _ => {}
        }
    }
    panic!("no comma in {text}")
}

fn mix(a: Rgb, b: Rgb, p: f64) -> Rgb {
    [0, 1, 2].map(|i| a[i] * p + b[i] * (1.0 - p))
}

/// `value` as it shows over `under`.
fn over(value: &str, under: Rgb, vars: &HashMap<String, String>) -> Rgb {
    let (c, alpha) = colour(value, vars);
    mix(c, under, alpha)
}

fn luminance(c: Rgb) -> f64 {
    let lin = |v: f64| {
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn text_and_chart_marks_meet_wcag_aa_in_both_themes() {
    let mut failures = Vec::new();
    for (theme, vars) in themes() {
        let bg = hex(&vars["--bg"]);
        let card = hex(&vars["--card"]);
        let surfaces = [
            ("page", bg),
            ("card", card),
            ("notice", over(&rule(".notice")["background"], bg, &vars)),
            ("warning", over(&rule(".warning")["background"], bg, &vars)),
            (
                "board column",
                over(&rule(".column")["background"], bg, &vars),
            ),
            (
                "quick log",
                over(&rule(".quick-log")["background"], bg, &vars),
            ),
        ];
        let check = |what: String, a: Rgb, b: Rgb, least: f64| {
            let r = ratio(a, b);
            (r < least).then(|| format!("{theme}: {what} is {r:.2}:1, below {least}:1"))
        };
        // Text, on every surface.
        for text in ["--fg", "--muted", "--accent", "--good", "--warn", "--bad"] {
            for (surface, under) in surfaces {
                failures.extend(check(
                    format!("{text} text on the {surface}"),
                    hex(&vars[text]),
                    under,
                    4.5,
                ));
            }
        }
        failures.extend(check(
            "button text".to_owned(),
            hex(&vars["--accent-fg"]),
            hex(&vars["--accent"]),
            4.5,
        ));
        // The marks charts are read by, on the card they are drawn on.
        for mark in [
            "--take", "--make", "--good", "--accent", "--warn", "--bad", "--muted",
        ] {
            failures.extend(check(format!("{mark} marks"), hex(&vars[mark]), card, 3.0));
        }
        // Every heatmap level that means study, and the levels in order.
        let mut last = 1.0;
        for level in 1..=4 {
            let fill = &rule(&format!(".heat.level-{level}"))["fill"];
            let shade = over(fill, card, &vars);
            failures.extend(check(format!("heatmap level {level}"), shade, card, 3.0));
            let r = ratio(shade, card);
            if r <= last {
                failures.push(format!(
                    "{theme}: heatmap level {level} is not stronger than the one below"
                ));
            }
            last = r;
        }
        // The forecast band is told by its edges.
        let band = rule(".forecast-band");
        let edge = band.get("stroke").map(|s| over(s, card, &vars));
        match edge {
            Some(edge) => failures.extend(check(
                "the forecast band's edges".to_owned(),
                edge,
                card,
                3.0,
            )),
            None => failures.push(format!("{theme}: the forecast band has no edge")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

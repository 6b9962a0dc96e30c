use autodidact_core::curriculum::{check_toml, write_toml};

const SMALL: &str = r#"title = "Tiny"
hours_per_week = 10

[[phases]]
title = "One"

[[phases.items]]
id = "a"
kind = "course"
title = "A"
hours = [4, 6]

[[phases.items]]
id = "b"
kind = "project"
title = "B"
weeks = 2
requires = ["a"]
notes = """line one
line two"""
due = 2027-01-02
"#;

#[test]
fn smoke() {
    let checked = check_toml(SMALL);
    println!("{:#?}", checked.diagnostics);
    let c = checked.curriculum.unwrap();
    let out = write_toml(&c);
    println!("{out}");
    let again = check_toml(&out).curriculum.unwrap();
    assert_eq!(c, again);
    let bad = SMALL.replace("\"course\"", "\"lecture\"").replace("requires = [\"a\"]", "requires = [\"aa\", \"b\"]");
    for d in check_toml(&bad).diagnostics { println!("{}", d.render("x.toml")); }
}

//! The rendered table and markdown of a small fixed forecast, as snapshots: any change to
//! the numbers or the layout shows up in review (`cargo insta review`).

use crate::common::affcast;

fn render(format: &str) -> String {
    let out = affcast()
        .args([
            "forecast", "--trials", "30", "--months", "4", "--seed", "7", "--format", format,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn table() {
    insta::assert_snapshot!(render("table"));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(render("markdown"));
}

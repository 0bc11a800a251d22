//! The crate's modules import one way: no cycle among the top-level modules of the library,
//! none among the files of one module, and the checked model at the bottom imports nothing
//! above it. Read from the source, so a `use crate::…` or `use super::…` that closes a
//! circle fails here before it lands.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file of the library (the binary's `main.rs` and `cli.rs` sit on top of it).
fn library_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.retain(|p| {
        let name = p.strip_prefix(&src).unwrap().to_string_lossy().to_string();
        !["lib.rs", "main.rs", "cli.rs"].contains(&name.as_str())
    });
    files
}

/// Top-level module → the other top-level modules its files name as `crate::x`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in library_files() {
        let rel = file.strip_prefix(&src).unwrap();
        let module = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        let deps = graph.entry(module.clone()).or_default();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            for (i, _) in code.match_indices("crate::") {
                let rest = &code[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module && name != "Error" && name != "Result" {
                    deps.insert(name);
                }
            }
        }
    }
    graph
}

/// A cycle in the graph, if there is one (as a path of modules).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for d in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

/// Names that follow `prefix` in `code`: `prefix::name` gives `name`, and
/// `prefix::{a::x, b::{y, z}, c}` gives `a`, `b` and `c` (each name followed by `::` or at
/// the top of the braces).
fn names_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = BTreeSet::new();
    for (i, _) in code.match_indices(prefix) {
        let rest = &code[i + prefix.len()..];
        if let Some(inner) = rest.strip_prefix('{') {
            // The top level of the braces, split on commas.
            let (mut depth, mut start) = (0, 0);
            for (j, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        names.insert(ident(inner[start..j].trim()));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.insert(ident(inner[start..j].trim()));
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            names.insert(ident(rest));
        }
    }
    names.remove("");
    names
}

/// Per module folder, each file other than `mod.rs` → the sibling files it imports (as
/// `super::file` or `crate::module::file`), keyed `module/file`.
fn file_imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in library_files() {
        let rel = file.strip_prefix(&src).unwrap();
        let parts: Vec<String> = rel
            .components()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .collect();
        let [module, name] = &parts[..] else {
            continue;
        };
        if name == "mod" {
            continue;
        }
        let siblings: BTreeSet<String> = std::fs::read_dir(file.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().to_string())
            .filter(|s| s != "mod" && s != name)
            .collect();
        // Code without comments, joined, so that a `use` over several lines is one.
        let code: String = std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" ");
        let mut named = names_after(&code, "super::");
        named.extend(names_after(&code, &format!("crate::{module}::")));
        let deps = graph.entry(format!("{module}/{name}")).or_default();
        for n in named.intersection(&siblings) {
            deps.insert(format!("{module}/{n}"));
        }
    }
    graph
}

#[test]
fn the_files_of_a_module_have_no_import_cycle() {
    let graph = file_imports();
    // The engine's files were read, with the imports they are known to have.
    assert!(graph["engine/book"].contains("engine/lanes"), "{graph:?}");
    assert!(graph["engine/table"].contains("engine/fates"), "{graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle between files: {}", cycle.join(" → "));
    }
}

#[test]
fn imports_are_read_through_braces() {
    let code =
        "use super::{lanes::{A, B}, table::C, world}; use super::days::D; crate::engine::x::y";
    assert_eq!(
        names_after(code, "super::"),
        BTreeSet::from(["days", "lanes", "table", "world"].map(String::from))
    );
    assert_eq!(
        names_after(code, "crate::engine::"),
        BTreeSet::from(["x".to_string()])
    );
}

#[test]
fn the_library_has_no_import_cycle() {
    let graph = imports();
    assert!(graph.len() >= 10, "the source was read: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}", cycle.join(" → "));
    }
}

#[test]
fn the_checker_finds_a_cycle() {
    let mut graph = BTreeMap::new();
    graph.insert(
        "model".to_string(),
        BTreeSet::from(["pipeline".to_string()]),
    );
    graph.insert(
        "pipeline".to_string(),
        BTreeSet::from(["exports".to_string()]),
    );
    graph.insert("exports".to_string(), BTreeSet::from(["model".to_string()]));
    assert_eq!(
        find_cycle(&graph).unwrap(),
        ["exports", "model", "pipeline", "exports"]
    );
}

#[test]
fn the_bottom_layers_import_nothing_above_them() {
    let graph = imports();
    // The checked model knows no scenario file, engine, export or report.
    assert_eq!(
        graph["model"],
        BTreeSet::new(),
        "model imports {:?}",
        graph["model"]
    );
    // Export readers depend on the model's money only (and errors, input files,
    // and the named-choice trait, which imports nothing).
    let allowed: BTreeSet<String> = ["model", "error", "output", "choice"]
        .map(String::from)
        .into();
    assert!(
        graph["exports"].is_subset(&allowed),
        "exports imports {:?}",
        graph["exports"]
    );
    // The engine never reaches up to reports, the app layer or the front ends.
    for above in ["report", "app", "compare", "sensitivity", "fit", "stats"] {
        assert!(!graph["engine"].contains(above), "engine imports {above}");
    }
}

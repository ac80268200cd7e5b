//! Embeds every rule file under `rules/` in the binary, so that the built-in
//! rules need no files beside the executable. Adding a rule is adding a file:
//! this script lists them, sorted, into `$OUT_DIR/builtin_rules.rs`.
//!
//! It also derives, once at build time, the literals that the line rules
//! without `requires` get from their patterns (`src/checks/necessary.rs`,
//! compiled into this script too), into `$OUT_DIR/derived_requires.rs`:
//! deriving them took a quarter of the instructions of a run on a one-line
//! file.

#[path = "src/checks/necessary.rs"]
mod necessary;

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Built-in rule files: (path relative to the repository, contents).\npub static BUILTIN_RULES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    fs::write(out_dir.join("builtin_rules.rs"), code).unwrap();
    println!("cargo:rerun-if-changed=src/checks/necessary.rs");
    fs::write(out_dir.join("derived_requires.rs"), derived(&files)).unwrap();
}

/// The line rules' patterns without `requires` and the header patterns of
/// the `after-marker` check, each with the literals [`necessary::literals`]
/// derives (`None`: no usable set).
fn derived(files: &[PathBuf]) -> String {
    let mut patterns = std::collections::BTreeSet::new();
    for file in files {
        let text = fs::read_to_string(file).unwrap();
        // A broken file is reported by the loader at run time, not here.
        let Ok(doc) = text.parse::<toml::Table>() else {
            continue;
        };
        let Some(rules) = doc.get("rule").and_then(|r| r.as_array()) else {
            continue;
        };
        for rule in rules {
            let line = rule.get("kind").and_then(|k| k.as_str()) == Some("line");
            if let (true, None, Some(pattern)) = (
                line,
                rule.get("requires"),
                rule.get("pattern").and_then(|p| p.as_str()),
            ) {
                patterns.insert(pattern.to_string());
            }
            // The related-articles check looks for its header lines by the
            // literals of its marker and generic header patterns.
            if rule.get("check").and_then(|c| c.as_str()) == Some("after-marker") {
                let generic = rule
                    .get("options")
                    .and_then(|o| o.get("generic"))
                    .and_then(|g| g.as_str());
                for pattern in [rule.get("pattern").and_then(|p| p.as_str()), generic]
                    .into_iter()
                    .flatten()
                {
                    patterns.insert(pattern.to_string());
                }
            }
        }
    }
    let mut code = String::from(
        "/// Built-in line patterns and the literals derived from them at build\n\
         /// time (`None`: no usable set), as `necessary::literals` gives them.\n\
         pub static DERIVED_REQUIRES: &[(&str, Option<&[&str]>)] = &[\n",
    );
    for pattern in &patterns {
        let literals = match necessary::literals(pattern) {
            Some(l) => format!("Some(&{l:?})"),
            None => "None".to_string(),
        };
        code.push_str(&format!("    ({pattern:?}, {literals}),\n"));
    }
    code.push_str("];\n");
    code
}

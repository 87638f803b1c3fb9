//! envward patch (see PATCH.md): the six ranked frequency lists of `src/frequency_lists.rs`
//! become perfect-hash maps (`phf`) at compile time, so no dictionary is built at run time.
//! A word listed twice keeps the rank of its last occurrence, as collecting the list into a
//! `HashMap` gave it.

use std::collections::HashMap;
use std::fmt::Write as _;

fn main() {
    println!("cargo:rerun-if-changed=src/frequency_lists.rs");
    println!("cargo:rerun-if-changed=build.rs");
    let source = std::fs::read_to_string("src/frequency_lists.rs").expect("the lists");
    let mut out = String::new();
    let mut lists = 0;
    for line in source.lines() {
        let Some((name, value)) = line
            .strip_prefix("const ")
            .and_then(|rest| rest.split_once(": &str = \""))
        else {
            continue;
        };
        let value = value.strip_suffix("\";").expect("each list is one line");
        let value = value.replace("\\'", "'").replace("\\\"", "\"");
        assert!(!value.contains('\\'), "no other escapes in the lists");
        let words: Vec<&str> = value.split(',').collect();
        let mut last: HashMap<&str, usize> = HashMap::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            last.insert(w, i + 1);
        }
        let mut map = phf_codegen::Map::new();
        let mut seen = std::collections::HashSet::with_capacity(words.len());
        for w in &words {
            if seen.insert(*w) {
                map.entry(*w, &last[w].to_string());
            }
        }
        writeln!(
            out,
            "static {name}_RANKED: phf::Map<&'static str, usize> = {};",
            map.build()
        )
        .unwrap();
        lists += 1;
    }
    assert_eq!(lists, 6, "six ranked lists");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("ranked.rs");
    std::fs::write(dest, out).unwrap();
}

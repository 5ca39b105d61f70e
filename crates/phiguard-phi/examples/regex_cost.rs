//! Times the candidate regex alone, whole and pattern by pattern, on one file.
//! A tuning aid for the pattern table.

use std::time::Instant;

use regex_automata::meta;
use regex_automata::util::syntax;

fn time(label: &str, patterns: &[&str], data: &[u8]) {
    let regex = meta::Builder::new()
        .configure(meta::Config::new().hybrid_cache_capacity(16 << 20))
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .build_many(patterns)
        .expect("patterns compile");
    let started = Instant::now();
    let count = regex.find_iter(data).count();
    let elapsed = started.elapsed().as_secs_f64();
    println!("{label:>16}: {count:>9} matches, {:>7.1} MB/s", data.len() as f64 / elapsed / 1e6);
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: regex_cost FILE");
    let data = std::fs::read(&path).expect("readable file");
    let table = phiguard_phi::patterns::built_in();
    let all: Vec<&str> = table.iter().map(|(p, _)| p.as_str()).collect();
    time("all", &all, &data);
    for (pattern, shape) in &table {
        time(&format!("{shape:?}"), &[pattern.as_str()], &data);
    }
}

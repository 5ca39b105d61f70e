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
    {
        use regex_automata::dfa::{dense, regex::Regex};
        let started = Instant::now();
        let built = Regex::builder()
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .dense(dense::Config::new().minimize(false).dfa_size_limit(Some(1 << 30)).determinize_size_limit(Some(1 << 30)))
            .build_many(&all);
        match built {
            Ok(regex) => {
                println!("dense build {:.2}s, {} bytes fwd", started.elapsed().as_secs_f64(), regex.forward().memory_usage());
                let started = Instant::now();
                let count = regex.find_iter(&data).count();
                println!("dense: {count} matches, {:.1} MB/s", data.len() as f64 / started.elapsed().as_secs_f64() / 1e6);
            }
            Err(error) => println!("dense build failed: {error}"),
        }
    }
    let without = |skip: &[&str]| -> Vec<&str> {
        table.iter().filter(|(_, shape)| !skip.contains(&format!("{shape:?}").as_str())).map(|(p, _)| p.as_str()).collect()
    };
    time("no email", &without(&["Email"]), &data);
    time("no address", &without(&["Address"]), &data);
    time("no keywords", &without(&["MrnKeyword", "MemberKeyword", "ZipKeyword"]), &data);
    time("no date", &without(&["Date"]), &data);
    time("no mbi", &without(&["Mbi"]), &data);
    time("no letters", &without(&["LettersDigits", "Icd10", "HicnSsa"]), &data);
    time("core", &without(&["Email", "Address", "MrnKeyword", "MemberKeyword", "ZipKeyword", "Date"]), &data);
}

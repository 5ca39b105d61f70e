//! Writes the synthetic labelled log corpus: the text to one file and the
//! labels, one JSON object per line (`kind`, `start`, `end` in bytes), to
//! another. Used by the benchmark and for manual checks.

use std::io::Write;
use std::process::ExitCode;

use phiguard_phi::generate;

const USAGE: &str = "usage: phi-corpus --out FILE --labels FILE [--bytes N] [--seed N] [--phi-percent P]\n\n--phi-percent P  plant identifiers in P% of lines (default: every template equally likely)";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("phi-corpus: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut out = None;
    let mut labels = None;
    let mut bytes: usize = 16 << 20;
    let mut seed: u64 = 1;
    let mut phi_percent: Option<u64> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("missing value after {flag}"));
        match flag.as_str() {
            "--out" => out = Some(value()?),
            "--labels" => labels = Some(value()?),
            "--bytes" => {
                let text = value()?;
                bytes = text.parse().map_err(|_| format!("invalid --bytes {text:?}: expected a byte count"))?;
            }
            "--seed" => {
                let text = value()?;
                seed = text.parse().map_err(|_| format!("invalid --seed {text:?}: expected an unsigned integer"))?;
            }
            "--phi-percent" => {
                let text = value()?;
                let percent = text.parse().ok().filter(|p| *p <= 100);
                phi_percent = Some(percent.ok_or_else(|| format!("invalid --phi-percent {text:?}: expected 0-100"))?);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let out = out.ok_or("missing --out FILE")?;
    let labels = labels.ok_or("missing --labels FILE")?;

    let corpus = match phi_percent {
        Some(percent) => generate::log_text(seed, bytes, percent),
        None => generate::corpus(seed, bytes),
    };
    std::fs::write(&out, &corpus.text).map_err(|error| format!("failed to write {out}: {error}"))?;
    let file = std::fs::File::create(&labels).map_err(|error| format!("failed to create {labels}: {error}"))?;
    let mut writer = std::io::BufWriter::new(file);
    for label in &corpus.labels {
        let line = serde_json::to_string(label).map_err(|error| error.to_string())?;
        writeln!(writer, "{line}").map_err(|error| format!("failed to write {labels}: {error}"))?;
    }
    writer.flush().map_err(|error| format!("failed to write {labels}: {error}"))?;
    eprintln!("phi-corpus: wrote {} bytes and {} labels", corpus.text.len(), corpus.labels.len());
    Ok(())
}

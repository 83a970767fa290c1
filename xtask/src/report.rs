//! The change report of `cargo xtask gen`: the API about to be written against the API of
//! the committed crate, which is the surface file committed beside the generated code
//! (`src/generated/api-surface.json`, see `codegen::api_changes::surface` for why a snapshot rather
//! than the previous spec from git). `--baseline FILE` compares with another surface.

use codegen::api_changes::report::Report;
use codegen::api_changes::surface::{Surface, SURFACE_FILE};
use codegen::GeneratedFile;
use std::fs;
use std::path::{Path, PathBuf};

/// How many compatible changes the terminal summary lists before it only counts.
pub const SHOWN_COMPATIBLE: usize = 20;

/// The committed surface file of a generation.
pub fn surface_file(surface: &Surface) -> GeneratedFile {
    GeneratedFile {
        path: SURFACE_FILE.to_owned(),
        contents: surface.to_json(),
    }
}

/// Where a generation into `out_dir` finds the surface it replaces.
pub fn default_baseline(out_dir: &Path) -> PathBuf {
    out_dir.join(SURFACE_FILE)
}

/// The comparison with the previous surface, or why there is none.
#[derive(Debug)]
pub enum Comparison {
    Compared {
        baseline: PathBuf,
        report: Report,
    },
    /// No surface there yet (a first generation, a fresh `--out` directory).
    NoBaseline(PathBuf),
    /// A surface that cannot be read (another format, a hand edit).
    Unreadable(PathBuf, String),
}

/// Compares `new` with the surface at `baseline`. Read before anything is written.
pub fn compare(baseline: &Path, new: &Surface) -> Comparison {
    let text = match fs::read_to_string(baseline) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Comparison::NoBaseline(baseline.to_path_buf())
        }
        Err(e) => return Comparison::Unreadable(baseline.to_path_buf(), e.to_string()),
    };
    match Surface::from_json(&text) {
        Ok(old) => Comparison::Compared {
            baseline: baseline.to_path_buf(),
            report: Report::between(&old, new),
        },
        Err(e) => Comparison::Unreadable(baseline.to_path_buf(), e),
    }
}

impl Comparison {
    /// The terminal summary.
    pub fn text(&self, root: &Path) -> String {
        match self {
            Comparison::Compared { baseline, report } => {
                let text = report.text(SHOWN_COMPATIBLE);
                let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
                format!("{first} (against {})\n{rest}", rel(root, baseline))
            }
            Comparison::NoBaseline(path) => format!(
                "API changes: not compared, no surface at {} yet (it is written now)\n",
                rel(root, path)
            ),
            Comparison::Unreadable(path, e) => format!(
                "API changes: not compared, {} cannot be read: {e}\n",
                rel(root, path)
            ),
        }
    }

    /// The Markdown report for `--report FILE`.
    pub fn markdown(&self, root: &Path) -> String {
        match self {
            Comparison::Compared { baseline, report } => {
                let mut out = report.markdown("API changes");
                out.insert_str(
                    out.find('\n').map_or(out.len(), |i| i + 1),
                    &format!("\nAgainst `{}`.\n", rel(root, baseline)),
                );
                out
            }
            other => format!("## API changes\n\n{}", other.text(root)),
        }
    }

    pub fn report(&self) -> Option<&Report> {
        match self {
            Comparison::Compared { report, .. } => Some(report),
            _ => None,
        }
    }
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

//! The command line as a user meets it, through the `xtask` binary: every task answers
//! `--help` and `-h` with its usage and exit status 0, without doing anything else; an
//! argument a task does not know is an error naming it, with the usage, and status 2.

use std::process::{Command, Output};
use xtask::cli::{usage, TASKS};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_task_answers_help_with_its_usage() {
    for task in TASKS {
        for flag in ["--help", "-h"] {
            let out = xtask(&[task.name, flag]);
            assert_eq!(out.status.code(), Some(0), "{} {flag}", task.name);
            assert_eq!(
                text(&out.stdout),
                format!("{}\n", task.usage),
                "{} {flag}",
                task.name
            );
            assert!(
                task.usage
                    .starts_with(&format!("usage: cargo xtask {} ", task.name)),
                "{}",
                task.usage
            );
            // Nothing ran: no installer, build or generation said anything.
            assert_eq!(text(&out.stderr), "", "{} {flag}", task.name);
        }
    }
}

/// `test` hands its arguments to `cargo test`, which judges them itself.
#[test]
fn an_unknown_argument_is_an_error_naming_it_with_the_usage() {
    for task in TASKS.iter().filter(|t| t.name != "test") {
        let out = xtask(&[task.name, "--no-such-option"]);
        assert_eq!(out.status.code(), Some(2), "{}", task.name);
        let stderr = text(&out.stderr);
        assert!(stderr.contains("'--no-such-option'"), "{stderr}");
        assert!(stderr.ends_with(&format!("{}\n", task.usage)), "{stderr}");
        assert_eq!(text(&out.stdout), "", "{}", task.name);
    }
    let out = xtask(&["gen", "--spec"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("missing argument for option '--spec'"),
        "{}",
        text(&out.stderr)
    );
    let out = xtask(&["fuzz", "--seconds", "soon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("\"soon\""),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_task_list_is_the_help_of_cargo_xtask() {
    for flag in ["--help", "-h"] {
        let out = xtask(&[flag]);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(text(&out.stdout), usage());
    }
    for task in TASKS {
        assert!(
            usage().contains(&format!("  {} ", task.name)),
            "{}",
            usage()
        );
    }
    for wrong in [&[][..], &["no-such-task"]] {
        let out = xtask(wrong);
        assert_eq!(out.status.code(), Some(2), "{wrong:?}");
        assert!(
            text(&out.stderr).ends_with(&usage()),
            "{}",
            text(&out.stderr)
        );
    }
}

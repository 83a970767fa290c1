//! The command line of every task, read by one parser (`lexopt`) with one set of rules:
//! `-h`/`--help` prints the task's usage on stdout and exits 0; an argument the task
//! does not know, or an option without its value, is an error that names it, followed by
//! the usage, with exit status 2; an error while the task runs exits 1.

use crate::{Error, Result};
pub use lexopt::prelude::*;
pub use lexopt::{Arg, Parser};
use std::path::Path;

/// A task's arguments, and how to run the task with them.
pub trait Command: Sized {
    /// `usage: cargo xtask NAME ...` and one line per option.
    const USAGE: &'static str;

    /// Reads the arguments; the `match` on each ends in `arg => return Err(other(arg))`.
    fn parse(root: &Path, parser: &mut Parser) -> Result<Self, Stop>;

    /// Runs the task: `Ok(true)` when it succeeded, `Ok(false)` when it ran to the end
    /// and found something wrong, which it has reported (exit status 1).
    fn run(self, root: &Path) -> Result<bool>;
}

/// Why reading the arguments ended before the task ran.
#[derive(Debug)]
pub enum Stop {
    /// `-h` or `--help`.
    Help,
    Error(Error),
}

impl From<lexopt::Error> for Stop {
    fn from(e: lexopt::Error) -> Stop {
        Stop::Error(Error::Usage(e))
    }
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Error(e)
    }
}

/// An argument no arm of a task's `match` took: a request for help, or an error.
pub fn other(arg: Arg<'_>) -> Stop {
    match arg {
        Short('h') | Long("help") => Stop::Help,
        arg => arg.unexpected().into(),
    }
}

/// Parses `args` (what follows the task's name) for `C` and runs it; returns the exit
/// status.
pub fn run<C: Command>(root: &Path, args: &[String]) -> u8 {
    let mut parser = Parser::from_args(args);
    let command = match C::parse(root, &mut parser) {
        Ok(command) => command,
        Err(Stop::Help) => {
            println!("{}", C::USAGE);
            return 0;
        }
        Err(Stop::Error(e)) => return report(&e, C::USAGE),
    };
    match command.run(root) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(e) => report(&e, C::USAGE),
    }
}

/// Prints an error (a usage error with the usage after it); returns its exit status.
pub fn report(e: &Error, usage: &str) -> u8 {
    match e {
        Error::Usage(_) => eprintln!("error: {e}\n\n{usage}"),
        _ => eprintln!("error: {e}"),
    }
    e.exit_code()
}

/// One task of `cargo xtask`.
pub struct Task {
    pub name: &'static str,
    /// One line for the list of tasks.
    pub summary: &'static str,
    pub usage: &'static str,
    pub run: fn(&Path, &[String]) -> u8,
}

impl Task {
    const fn of<C: Command>(name: &'static str, summary: &'static str) -> Task {
        Task {
            name,
            summary,
            usage: C::USAGE,
            run: run::<C>,
        }
    }
}

/// Every task, in the order `cargo xtask --help` lists them.
pub const TASKS: &[Task] = &[
    Task::of::<crate::gen::Args>("gen", "regenerate clerk-api from the spec"),
    Task::of::<crate::test::Args>(
        "test",
        "install the test tools if missing, then run every test",
    ),
    Task::of::<crate::contract::Args>(
        "contract",
        "run the generated contract suite against Prism (static and dynamic)",
    ),
    Task::of::<crate::regen_all::Args>(
        "regen-all",
        "regenerate a copy of the workspace in place from every spec at hand, then lint it all",
    ),
    Task::of::<crate::bench::Args>(
        "bench",
        "measure build, generation and runtime costs against their targets",
    ),
    Task::of::<crate::fuzz::Args>(
        "fuzz",
        "mutate and generate specs, looking for generator crashes",
    ),
    Task::of::<crate::semver_oracle::Args>(
        "semver-oracle",
        "the change report's verdicts on codegen/tests/fixtures/changes against cargo-semver-checks",
    ),
];

/// `cargo xtask`'s own usage: the list of tasks.
pub fn usage() -> String {
    let width = TASKS.iter().map(|t| t.name.len()).max().unwrap_or(0);
    let mut out = String::from(
        "usage: cargo xtask TASK [ARGUMENTS]\n       cargo xtask TASK --help\n\ntasks:\n",
    );
    for task in TASKS {
        out.push_str(&format!("  {:width$}  {}\n", task.name, task.summary));
    }
    out
}

/// `cargo xtask ARGS...`: finds the task the first argument names and runs it with the
/// rest.
pub fn main(args: &[String]) -> u8 {
    let task = match find_task(&mut Parser::from_args(args)) {
        Ok(Some(task)) => task,
        Ok(None) => {
            print!("{}", usage());
            return 0;
        }
        Err(e) => {
            eprint!("error: {e}\n\n{}", usage());
            return e.exit_code();
        }
    };
    let root = match crate::find_workspace_root() {
        Ok(root) => root,
        Err(e) => return report(&e, task.usage),
    };
    (task.run)(&root, &args[1..])
}

/// The task the first argument names; `None` for `-h`/`--help`.
fn find_task(parser: &mut Parser) -> Result<Option<&'static Task>> {
    let name = match parser.next()? {
        Some(Value(name)) => name.string()?,
        Some(arg) => match other(arg) {
            Stop::Help => return Ok(None),
            Stop::Error(e) => return Err(e),
        },
        None => return Err(Error::Usage("no task given".into())),
    };
    match TASKS.iter().find(|t| t.name == name) {
        Some(task) => Ok(Some(task)),
        None => Err(Error::Usage(format!("unknown task {name:?}").into())),
    }
}

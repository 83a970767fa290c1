use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = match xtask::find_workspace_root() {
        Ok(root) => root,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let code = match args.first().map(String::as_str) {
        Some("gen") => xtask::gen::run(&root, &args[1..]),
        Some("test") => xtask::test::run(&root, &args[1..]),
        Some("contract") => xtask::contract::run(&root, &args[1..]),
        Some("bench") => xtask::bench::run(&root, &args[1..]),
        Some("fuzz") => xtask::fuzz::run(&root, &args[1..]),
        Some("semver-oracle") => xtask::semver_oracle::run(&root, &args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <task>\n\ntasks:\n  gen    regenerate clerk-api from the spec\n  test   install the test tools if missing, then run every test\n  contract [--spec PATH]  run the generated contract suite against Prism (static and dynamic)\n  bench  measure build, generation and runtime costs against their targets\n  fuzz [--seconds N] [--compile K]  mutate and generate specs, looking for generator crashes\n  semver-oracle [--case NAME]  the change report's verdicts on codegen/tests/fixtures/changes against cargo-semver-checks\n\n{}", xtask::gen::USAGE);
            2
        }
    };
    ExitCode::from(code as u8)
}

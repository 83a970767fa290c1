//! A fixed, deterministic slice of `cargo xtask fuzz` on every `cargo test`: random
//! recursive specs and mutations of every fixture and `spec/` never make the generator
//! panic or overflow its stack (an overflow would abort this test binary).

use xtask::fuzz::{deep_chain, run_cases, try_generate, Limit, Outcome, Rng};

#[test]
fn random_and_mutated_specs_never_crash_the_generator() {
    let root = xtask::workspace_root();
    let target_dir = xtask::target_dir(&root).unwrap();
    let report = run_cases(&root, &target_dir, 20251110, Limit::Cases(600), 0);
    assert!(
        report.panics.is_empty(),
        "the generator panicked on {} of {} specs: {:?}",
        report.panics.len(),
        report.cases,
        report.panics
    );
    // Both outcomes occur, so the cases reach the generator's real paths.
    assert!(report.generated > 50, "{report:?}");
    assert!(report.refused > 50, "{report:?}");
}

/// Schemas nested far beyond the generator's depth bound, inline and through
/// references that point back at their own ancestors, in every shape.
#[test]
fn deeply_nested_and_self_referential_schemas_are_refused_or_generated() {
    let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
    let here = "#/paths/~1a/post/requestBody/content/application~1json/schema";
    let shapes = [
        ("array", format!("{{type: array, items: {{$ref: '{here}'}}}}")),
        ("map", format!("{{type: object, additionalProperties: {{$ref: '{here}'}}}}")),
        ("union", format!("{{oneOf: [{{type: string}}, {{type: array, items: {{$ref: '{here}'}}}}]}}")),
        ("allOf", format!("{{allOf: [{{$ref: '{here}'}}, {{type: object, properties: {{a: {{type: string}}}}}}]}}")),
        ("object", format!("{{type: object, properties: {{a: {{$ref: '{here}'}}}}}}")),
    ];
    for (shape, schema) in shapes {
        let spec = format!(
            "{head}paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {schema}\n      responses: {{'204': {{description: x}}}}\n"
        );
        let outcome = try_generate(&spec);
        assert_ne!(
            outcome,
            Outcome::Generated,
            "{shape}: a schema that is its own ancestor cannot be generated"
        );
        assert!(
            !matches!(outcome, Outcome::Panicked(_)),
            "{shape}: {outcome:?}"
        );
    }
    let mut rng = Rng::new(7);
    for _ in 0..50 {
        let deep = deep_chain(
            &mut rng,
            200,
            serde_yaml::from_str("{type: string}").unwrap(),
        );
        let spec = serde_yaml::to_string(&serde_yaml::Mapping::from_iter([
            ("openapi".into(), "3.0.3".into()),
            (
                "info".into(),
                serde_yaml::from_str("{title: t, version: '1'}").unwrap(),
            ),
            ("paths".into(), serde_yaml::Mapping::new().into()),
            (
                "components".into(),
                serde_yaml::from_str::<serde_yaml::Value>("{schemas: {}}").unwrap(),
            ),
        ]))
        .unwrap();
        let mut tree: serde_yaml::Value = serde_yaml::from_str(&spec).unwrap();
        tree["components"]["schemas"]["S0"] = deep;
        let outcome = try_generate(&serde_yaml::to_string(&tree).unwrap());
        assert!(!matches!(outcome, Outcome::Panicked(_)), "{outcome:?}");
    }
}

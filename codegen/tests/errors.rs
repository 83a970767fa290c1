//! Bad input never panics: it gets an error naming the JSON pointer of the problem.

use codegen::{generate, Options};

fn options() -> Options {
    Options {
        spec_label: "test.yaml".into(),
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

fn error_of(body: &str) -> codegen::Error {
    let text = format!("{HEAD}{body}");
    match generate(&text, &options()) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn errors_name_the_offending_node() {
    let table: &[(&str, &str, &str)] = &[
        (
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: x\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Nope'}\n",
            "#/paths/~1a/get/responses/200/content/application~1json/schema",
            "dangling reference",
        ),
        (
            "paths:\n  /a/{id}:\n    get:\n      responses: {'204': {description: x}}\n",
            "#/paths/~1a~1{id}/get",
            "no path parameter declares it",
        ),
        (
            "paths:\n  /a/{f}:\n    get:\n      parameters:\n        - {name: f, in: path, required: true, schema: {type: object, properties: {x: {type: string}}}}\n      responses: {'204': {description: x}}\n",
            "#/paths/~1a~1{f}/get/parameters/0",
            "only query parameters may be objects",
        ),
        (
            "paths:\n  /a:\n    get:\n      parameters:\n        - {name: f, in: header, schema: {type: object}}\n      responses: {'204': {description: x}}\n",
            "#/paths/~1a/get/parameters/0",
            "only query parameters may be objects",
        ),
        (
            "paths:\n  /a:\n    get:\n      parameters:\n        - {name: f, in: query, schema: {type: array, items: {type: object}}}\n      responses: {'204': {description: x}}\n",
            "#/paths/~1a/get/parameters/0",
            "parameters must be scalars, enums, arrays of those, or (in the query) objects",
        ),
        (
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: x\n          content:\n            application/json:\n              schema: {type: array, items: {$ref: '#/paths/~1a/get/responses/200/content/application~1json/schema'}}\n",
            "#/paths/~1a/get/responses/200/content/application~1json/schema",
            "nest more than 64 levels deep",
        ),
        (
            "paths:\n  /a:\n    get:\n      responses:\n        '200': {description: x}\n        '404': {$ref: '#/components/responses/Missing'}\n",
            "#/paths/~1a/get/responses/404",
            "dangling reference",
        ),
        (
            "paths:\n  /a:\n    get:\n      operationId: Same\n      responses: {'204': {description: x}}\n  /b:\n    get:\n      operationId: Same\n      responses: {'204': {description: x}}\n",
            "#/paths/~1b/get",
            "already used at #/paths/~1a/get",
        ),
        (
            "paths:\n  /a:\n    get:\n      parameters:\n        - $ref: 'other.yaml#/p'\n      responses: {'204': {description: x}}\n",
            "#/paths/~1a/get/parameters/0",
            "external reference",
        ),
        (
            "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          multipart/form-data:\n            schema: {type: string}\n      responses: {'204': {description: x}}\n",
            "#/paths/~1a/post/requestBody/content/multipart~1form-data/schema",
            "must be objects",
        ),
        (
            "paths:\n  /a:\n    get:\n      responses: 7\n",
            "#/paths/~1a/get/responses",
            "not a valid OpenAPI 3.0 node",
        ),
        (
            "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n    C:\n      type: object\n      properties:\n        a: {allOf: [{$ref: '#/components/schemas/A'}, {type: object, properties: {x: {type: string}}}]}\n",
            "#/components/schemas/C/properties/a/allOf/0",
            "reference cycle",
        ),
        (
            "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
            "#/components/schemas/A",
            "chain of references back to itself",
        ),
    ];
    for (body, pointer, message) in table {
        let err = error_of(body);
        assert_eq!(err.pointer(), *pointer, "{err}");
        assert!(err.message().contains(message), "{err}");
    }
}

#[test]
fn documents_that_are_not_openapi_3_0_are_refused() {
    let cases = [
        (
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "#/openapi",
        ),
        (
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "#/swagger",
        ),
        ("just a string", "#/openapi"),
        ("openapi: 3.0.3\npaths: [\n", "#"),
        ("openapi: 3.0.3\n? [a, b]\n: c\n", "#"),
    ];
    for (text, pointer) in cases {
        let err = generate(text, &options())
            .err()
            .unwrap_or_else(|| panic!("accepted {text:?}"));
        assert_eq!(err.pointer(), pointer, "{err}");
    }
}

/// Deleting any single line of a fixture gives a spec that either generates or fails
/// with an error: never a panic.
#[test]
fn no_single_line_deletion_of_a_fixture_panics() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut tried = 0;
    for name in ["basic.yaml", "naming.yaml"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for skip in 0..lines.len() {
            let mutated: String = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| format!("{l}\n"))
                .collect();
            let result = std::panic::catch_unwind(|| generate(&mutated, &options()).map(|_| ()));
            assert!(result.is_ok(), "{name}: deleting line {} panics", skip + 1);
            tried += 1;
        }
    }
    assert!(tried > 200);
}

//! `spec/clerk-backend-api.yaml` is valid OpenAPI 3.0.3 and carries what the seeds name.

use openapiv3::{Parameter, ReferenceOr};
use std::collections::BTreeMap;
use std::process::Command;
use xtask::{workspace_root, DEFAULT_SPEC};

fn spec() -> openapiv3::OpenAPI {
    let text = std::fs::read_to_string(workspace_root().join(DEFAULT_SPEC)).unwrap();
    codegen::parse::parse(&text).unwrap().api
}

/// Runs `openapi-spec-validator` (PyPI, pinned in `.ci/requirements.txt`; `cargo xtask
/// test` installs it). Skips only when the tool is absent and not required.
#[test]
fn spec_passes_openapi_spec_validator() {
    let root = workspace_root();
    let output = Command::new("python3")
        .args(["-m", "openapi_spec_validator", DEFAULT_SPEC])
        .current_dir(&root)
        .output();
    let required = std::env::var_os("CLERK_REQUIRE_TEST_TOOLS").is_some();
    let output = match output {
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named") && !required => {
            eprintln!("skipped: openapi-spec-validator is not installed (run `cargo xtask test`)");
            return;
        }
        Ok(o) => o,
        Err(e) if !required => {
            eprintln!("skipped: python3 is not available: {e}");
            return;
        }
        Err(e) => panic!("python3: {e}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.trim_end().ends_with("OK"),
        "validator rejected the spec:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The 22 operations of the three capability seeds and the 17 PATCH endpoints of the
/// rendered page (4 shared), by method, path and Clerk's operationId.
const SEED_OPERATIONS: &[(&str, &str, &str)] = &[
    ("GET", "/organizations", "ListOrganizations"),
    ("POST", "/organizations", "CreateOrganization"),
    ("GET", "/organizations/{organization_id}", "GetOrganization"),
    (
        "PATCH",
        "/organizations/{organization_id}",
        "UpdateOrganization",
    ),
    (
        "DELETE",
        "/organizations/{organization_id}",
        "DeleteOrganization",
    ),
    (
        "PATCH",
        "/organizations/{organization_id}/metadata",
        "MergeOrganizationMetadata",
    ),
    (
        "PUT",
        "/organizations/{organization_id}/logo",
        "UploadOrganizationLogo",
    ),
    (
        "DELETE",
        "/organizations/{organization_id}/logo",
        "DeleteOrganizationLogo",
    ),
    (
        "GET",
        "/organizations/{organization_id}/billing/subscription",
        "GetOrganizationBillingSubscription",
    ),
    (
        "GET",
        "/organizations/{organization_id}/billing/credits",
        "GetOrganizationBillingCreditBalance",
    ),
    (
        "POST",
        "/organizations/{organization_id}/billing/credits",
        "AdjustOrganizationBillingCreditBalance",
    ),
    (
        "POST",
        "/organizations/{organization_id}/memberships",
        "CreateOrganizationMembership",
    ),
    (
        "GET",
        "/organizations/{organization_id}/memberships",
        "ListOrganizationMemberships",
    ),
    (
        "PATCH",
        "/organizations/{organization_id}/memberships/{user_id}",
        "UpdateOrganizationMembership",
    ),
    (
        "DELETE",
        "/organizations/{organization_id}/memberships/{user_id}",
        "DeleteOrganizationMembership",
    ),
    (
        "PATCH",
        "/organizations/{organization_id}/memberships/{user_id}/metadata",
        "UpdateOrganizationMembershipMetadata",
    ),
    (
        "GET",
        "/organization_memberships",
        "InstanceGetOrganizationMemberships",
    ),
    (
        "POST",
        "/organizations/{organization_id}/domains",
        "CreateOrganizationDomain",
    ),
    (
        "GET",
        "/organizations/{organization_id}/domains",
        "ListOrganizationDomains",
    ),
    (
        "PATCH",
        "/organizations/{organization_id}/domains/{domain_id}",
        "UpdateOrganizationDomain",
    ),
    (
        "DELETE",
        "/organizations/{organization_id}/domains/{domain_id}",
        "DeleteOrganizationDomain",
    ),
    ("GET", "/organization_domains", "ListAllOrganizationDomains"),
    (
        "PATCH",
        "/beta_features/instance_settings",
        "UpdateInstanceAuthConfig",
    ),
    ("PATCH", "/domains/{domain_id}", "UpdateDomain"),
    (
        "PATCH",
        "/email_addresses/{email_address_id}",
        "UpdateEmailAddress",
    ),
    ("PATCH", "/instance", "UpdateInstance"),
    (
        "PATCH",
        "/instance/organization_settings",
        "UpdateInstanceOrganizationSettings",
    ),
    (
        "PATCH",
        "/instance/restrictions",
        "UpdateInstanceRestrictions",
    ),
    ("PATCH", "/jwt_templates/{template_id}", "UpdateJWTTemplate"),
    (
        "PATCH",
        "/oauth_applications/{oauth_application_id}",
        "UpdateOAuthApplication",
    ),
    (
        "PATCH",
        "/phone_numbers/{phone_number_id}",
        "UpdatePhoneNumber",
    ),
    (
        "PATCH",
        "/saml_connections/{saml_connection_id}",
        "UpdateSAMLConnection",
    ),
    ("PATCH", "/sign_ups/{id}", "UpdateSignUp"),
    ("PATCH", "/users/{user_id}", "UpdateUser"),
    ("PATCH", "/users/{user_id}/metadata", "UpdateUserMetadata"),
];

/// Operations beyond the seeds that hand-written modules call: `GetJWKS` for `auth`.
const RUNTIME_OPERATIONS: &[(&str, &str, &str)] = &[("GET", "/jwks", "GetJWKS")];

fn operations(api: &openapiv3::OpenAPI) -> BTreeMap<(String, String), &openapiv3::Operation> {
    let mut ops = BTreeMap::new();
    for (path, item) in api.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            panic!("path item ref at {path}")
        };
        for (method, op) in item.iter() {
            ops.insert((method.to_uppercase(), path.clone()), op);
        }
    }
    ops
}

#[test]
fn spec_carries_exactly_the_seed_operations() {
    let api = spec();
    let ops = operations(&api);
    assert_eq!(SEED_OPERATIONS.len(), 35);
    for (method, path, id) in SEED_OPERATIONS.iter().chain(RUNTIME_OPERATIONS) {
        let op = ops
            .get(&(method.to_string(), path.to_string()))
            .unwrap_or_else(|| panic!("missing {method} {path}"));
        assert_eq!(op.operation_id.as_deref(), Some(*id), "{method} {path}");
        assert_eq!(op.tags.len(), 1, "{id} has one tag");
    }
    assert_eq!(
        ops.len(),
        SEED_OPERATIONS.len() + RUNTIME_OPERATIONS.len(),
        "no operations beyond the seeds and those the runtime calls"
    );
}

#[test]
fn spec_header_matches_the_release() {
    let api = spec();
    assert_eq!(api.openapi, "3.0.3");
    assert_eq!(api.info.version, "2025-11-10");
    assert_eq!(api.servers[0].url, "https://api.clerk.com/v1");
    let schemes = &api.components.as_ref().unwrap().security_schemes;
    let ReferenceOr::Item(openapiv3::SecurityScheme::HTTP { scheme, .. }) = &schemes["bearerAuth"]
    else {
        panic!("bearerAuth must be an http scheme")
    };
    assert_eq!(scheme, "bearer");
}

#[test]
fn every_list_operation_pages_with_shared_limit_and_offset() {
    let api = spec();
    let lists = [
        "ListOrganizations",
        "ListOrganizationMemberships",
        "InstanceGetOrganizationMemberships",
        "ListOrganizationDomains",
        "ListAllOrganizationDomains",
    ];
    let ops = operations(&api);
    for id in lists {
        let op = ops
            .values()
            .find(|o| o.operation_id.as_deref() == Some(id))
            .unwrap();
        let refs: Vec<&str> = op
            .parameters
            .iter()
            .filter_map(|p| match p {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        assert!(
            refs.contains(&"#/components/parameters/LimitParameter"),
            "{id}: {refs:?}"
        );
        assert!(
            refs.contains(&"#/components/parameters/OffsetParameter"),
            "{id}: {refs:?}"
        );
    }
}

#[test]
fn seed_array_query_parameters_are_arrays() {
    let api = spec();
    let ops = operations(&api);
    let expect = [
        ("ListOrganizations", "user_id"),
        ("ListOrganizations", "organization_id"),
        ("ListOrganizationMemberships", "email_address"),
        ("ListOrganizationMemberships", "role"),
        ("ListAllOrganizationDomains", "domains"),
        ("ListAllOrganizationDomains", "enrollment_mode"),
    ];
    for (id, name) in expect {
        let op = ops
            .values()
            .find(|o| o.operation_id.as_deref() == Some(id))
            .unwrap();
        let param = op
            .parameters
            .iter()
            .find_map(|p| match p {
                ReferenceOr::Item(Parameter::Query { parameter_data, .. })
                    if parameter_data.name == name =>
                {
                    Some(parameter_data)
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("{id} has no query parameter {name}"));
        let openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &param.format
        else {
            panic!("{id}.{name} has no inline schema")
        };
        assert!(
            matches!(
                schema.schema_kind,
                openapiv3::SchemaKind::Type(openapiv3::Type::Array(_))
            ),
            "{id}.{name} must be an array"
        );
    }
}

#[test]
fn logo_upload_is_multipart_and_errors_are_clerk_errors() {
    let api = spec();
    let ops = operations(&api);
    let upload = ops[&(
        "PUT".to_owned(),
        "/organizations/{organization_id}/logo".to_owned(),
    )];
    let ReferenceOr::Item(body) = upload.request_body.as_ref().unwrap() else {
        panic!()
    };
    assert!(body.content.contains_key("multipart/form-data"));
    let text = std::fs::read_to_string(workspace_root().join(DEFAULT_SPEC)).unwrap();
    for op in ops.values() {
        for (status, response) in &op.responses.responses {
            if !status.to_string().starts_with('4') {
                continue;
            }
            let ReferenceOr::Reference { reference } = response else {
                panic!(
                    "{:?} {status}: error responses are shared components",
                    op.operation_id
                )
            };
            let name = reference.rsplit('/').next().unwrap();
            let component = &api.components.as_ref().unwrap().responses[name];
            let ReferenceOr::Item(component) = component else {
                panic!()
            };
            let schema = component.content["application/json"]
                .schema
                .as_ref()
                .unwrap();
            assert_eq!(
                schema,
                &ReferenceOr::ref_("#/components/schemas/ClerkErrors"),
                "{name} carries ClerkErrors"
            );
        }
    }
    assert!(text.contains("ClerkErrors:"));
}

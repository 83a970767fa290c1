//! What the client puts on the wire (method, path, query, headers, bodies) and how it
//! decodes success answers, against a wiremock server on 127.0.0.1.

use crate::common;

use clerk_api::models::{
    CreateOrganizationDomainRequest,
    ListAllOrganizationDomainsEnrollmentModeItem as EnrollmentMode,
    ListAllOrganizationDomainsVerified, OrganizationDomainEnrollmentMode, OrganizationDomainObject,
    OrganizationObject, UpdateInstanceRequest, UpdateOrganizationRequest,
    UploadOrganizationLogoRequest,
};
use clerk_api::organization_domains::ListAllOrganizationDomainsParams;
use clerk_api::{Client, Error, FilePart, Nullable};
use common::*;
use serde_json::{json, Value};
use wiremock::matchers::{bearer_token, header as header_is, method, path};
use wiremock::{Mock, ResponseTemplate};

fn organizations_page() -> Value {
    let mut first = organization_json("org_1", "Acme");
    first["members_count"] = json!(3);
    // Forward compatibility: a field this crate does not know, and an enum value
    // (`object`) it does not know either.
    first["brand_new_field"] = json!({"nested": [1, 2, 3]});
    let mut second = organization_json("org_2", "Globex");
    second["object"] = json!("organization_v2");
    json!({"data": [first, second], "total_count": 42, "next_cursor": "opaque"})
}

#[tokio::test]
async fn list_organizations_sends_get_with_query_and_standard_headers() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(organizations_page()),
    )
    .await;

    client
        .list_organizations()
        .limit(20)
        .offset(40)
        .user_id(["a", "b"])
        .include_members_count(true)
        .await
        .expect("list succeeds");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/organizations");
    let mut pairs = query_pairs(&request);
    pairs.sort();
    let mut want: Vec<(String, String)> = [
        ("include_members_count", "true"),
        ("limit", "20"),
        ("offset", "40"),
        ("user_id", "a"),
        ("user_id", "b"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    want.sort();
    assert_eq!(pairs, want);
    assert_eq!(query_values(&request, "user_id"), ["a", "b"], "order kept");
    assert_eq!(header(&request, "authorization"), "Bearer sk_test_secret");
    assert_eq!(header(&request, "clerk-api-version"), "2026-05-12");
    assert!(header(&request, "user-agent").starts_with("clerk-api-rust/"));
    assert_eq!(
        header(&request, "user-agent"),
        concat!("clerk-api-rust/", env!("CARGO_PKG_VERSION"))
    );
    assert!(
        request.headers.get("content-type").is_none(),
        "GET has no body"
    );
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn list_organizations_decodes_page_ignoring_unknown_fields_and_enum_values() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(organizations_page()),
    )
    .await;

    let page = client
        .list_organizations()
        .await
        .expect("unknown fields and enum values decode");

    assert_eq!(page.total_count, 42);
    assert_eq!(page.data.len(), 2);
    let first = &page.data[0];
    assert_eq!(first.id, "org_1");
    assert_eq!(first.name, "Acme");
    assert_eq!(first.slug, "acme");
    assert_eq!(first.object, OrganizationObject::Organization);
    assert_eq!(first.members_count, Some(3));
    assert_eq!(first.max_allowed_memberships, 5);
    assert!(first.admin_delete_enabled);
    assert!(!first.has_image);
    assert_eq!(first.image_url, None);
    assert_eq!(first.created_at, 1_700_000_000_000);
    assert_eq!(first.updated_at, 1_700_000_000_500);
    assert_eq!(first.public_metadata.get("plan"), Some(&json!("pro")));
    assert_eq!(first.last_active_at, None, "absent optional field");
    let second = &page.data[1];
    assert_eq!(second.id, "org_2");
    assert_eq!(
        second.object,
        OrganizationObject::Unknown("organization_v2".to_owned())
    );
    assert_eq!(second.object.as_str(), "organization_v2");
}

#[tokio::test]
async fn query_values_with_reserved_characters_arrive_unchanged() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(organizations_page()),
    )
    .await;
    let user_ids = ["+user_1", "-user_2", "a&b=c", "x y%z"];

    client
        .list_organizations()
        .user_id(user_ids)
        .query("Acme & Co #1")
        .await
        .expect("list succeeds");

    let request = only_request(&server).await;
    assert_eq!(query_values(&request, "user_id"), user_ids);
    assert_eq!(query_values(&request, "query"), ["Acme & Co #1"]);
    assert_eq!(request.url.fragment(), None);
}

#[tokio::test]
async fn list_organizations_without_params_sends_no_query() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(organizations_page()),
    )
    .await;

    client.list_organizations().await.expect("list succeeds");

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        None,
        "empty arrays and None are not sent"
    );
}

#[tokio::test]
async fn unexploded_query_array_is_comma_joined_and_exploded_one_repeated() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"data": [], "total_count": 0})),
    )
    .await;

    client
        .list_all_organization_domains()
        .params({
            // A whole params struct, as callers who build parameters in advance pass it.
            let mut value = ListAllOrganizationDomainsParams::default();
            value.verified = Some(ListAllOrganizationDomainsVerified::True);
            // `style: form, explode: false` in the spec.
            value.enrollment_mode = vec![
                EnrollmentMode::AutomaticInvitation,
                EnrollmentMode::MinusManualInvitation,
                EnrollmentMode::Unknown("future_mode".to_owned()),
            ];
            value
        })
        // `style: form, explode: true` in the spec; a setter after `.params(..)` adds to it.
        .domains(["a.example", "b.example"])
        .await
        .expect("list succeeds");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/organization_domains");
    assert_eq!(
        query_values(&request, "enrollment_mode"),
        ["automatic_invitation,-manual_invitation,future_mode"]
    );
    assert_eq!(
        query_values(&request, "domains"),
        ["a.example", "b.example"]
    );
    assert_eq!(query_values(&request, "verified"), ["true"]);
}

#[tokio::test]
async fn list_organization_memberships_repeats_array_params() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"data": [], "total_count": 0})),
    )
    .await;

    let page = client
        .list_organization_memberships("org_1")
        .role(["org:admin", "org:member"])
        .user_id(vec!["user_1".to_owned(), "user_2".to_owned()])
        .limit(10)
        .await
        .expect("list succeeds");

    assert_eq!(page.total_count, 0);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/organizations/org_1/memberships");
    assert_eq!(query_values(&request, "role"), ["org:admin", "org:member"]);
    assert_eq!(query_values(&request, "user_id"), ["user_1", "user_2"]);
    assert_eq!(query_values(&request, "limit"), ["10"]);
}

#[tokio::test]
async fn update_organization_sends_value_and_null_and_omits_absent_fields() {
    let (server, client) = server_and_client().await;
    Mock::given(method("PATCH"))
        .and(path("/organizations/org_1"))
        .and(header_is("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(organization_json("org_1", "New")))
        .expect(1)
        .mount(&server)
        .await;

    let org = client
        .update_organization(
            "org_1",
            &UpdateOrganizationRequest::default()
                .name("New")
                .slug(Nullable::Null),
        )
        .await
        .expect("update succeeds");

    assert_eq!(org.name, "New");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(header(&request, "content-type"), "application/json");
    assert_eq!(
        std::str::from_utf8(&request.body).expect("UTF-8 body"),
        r#"{"name":"New","slug":null}"#
    );
}

#[tokio::test]
async fn path_param_with_reserved_characters_stays_in_one_segment() {
    let (server, client) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(organization_json("org/..?x#y z", "Acme")),
    )
    .await;

    let org = client
        .get_organization("org/..?x#y z")
        .await
        .expect("get succeeds");

    assert_eq!(org.id, "org/..?x#y z");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/organizations/org%2F..%3Fx%23y%20z");
    assert_eq!(request.url.query(), None);
    assert_eq!(request.url.fragment(), None);
}

#[tokio::test]
async fn path_params_empty_dot_and_dot_dot_are_refused_before_sending() {
    let (server, client) = server_and_client().await;
    respond_to_any(&server, ResponseTemplate::new(200)).await;

    for id in ["", ".", ".."] {
        let err = client
            .get_organization(id)
            .await
            .expect_err("must be refused");
        match &err {
            Error::InvalidRequest {
                operation_id,
                message,
            } => {
                assert_eq!(*operation_id, "GetOrganization");
                assert!(message.contains("organization_id"), "{message}");
            }
            other => panic!("expected InvalidRequest for {id:?}, got {other:?}"),
        }
    }
    // A second path parameter is checked as well.
    let err = client
        .delete_organization_domain("org_1", "..")
        .await
        .expect_err("must be refused");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(err.to_string().contains("domain_id"), "{err}");

    assert!(received(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn create_organization_domain_posts_json_and_decodes_domain() {
    let (server, client) = server_and_client().await;
    Mock::given(method("POST"))
        .and(path("/organizations/org_1/domains"))
        .and(bearer_token(SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(domain_json(
            "dmn_1",
            "org_1",
            "example.com",
        )))
        .expect(1)
        .mount(&server)
        .await;

    let domain = client
        .create_organization_domain("org_1", &{
            let mut value = CreateOrganizationDomainRequest::default();
            value.name = Some("example.com".to_owned());
            value.enrollment_mode = Some("automatic_invitation".to_owned());
            value.verified = Nullable::Value(false);
            value
        })
        .await
        .expect("create succeeds");

    assert_eq!(domain.id, "dmn_1");
    assert_eq!(domain.organization_id, "org_1");
    assert_eq!(domain.name, "example.com");
    assert_eq!(domain.object, OrganizationDomainObject::OrganizationDomain);
    assert_eq!(
        domain.enrollment_mode,
        OrganizationDomainEnrollmentMode::AutomaticInvitation
    );
    assert_eq!(domain.total_pending_suggestions, 2);
    let verification = domain.affiliation_verification.expect("present");
    assert_eq!(verification.status, "unverified");
    assert_eq!(verification.strategy, "email_code");

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/json");
    let body: Value = request.body_json().expect("JSON body");
    assert_eq!(
        body,
        json!({"name": "example.com", "enrollment_mode": "automatic_invitation", "verified": false})
    );
}

#[tokio::test]
async fn delete_organization_domain_sends_delete_and_decodes_deleted_object() {
    let (server, client) = server_and_client().await;
    Mock::given(method("DELETE"))
        .and(path("/organizations/org_1/domains/dmn_1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(deleted_json("dmn_1", "organization_domain")),
        )
        .expect(1)
        .mount(&server)
        .await;

    let deleted = client
        .delete_organization_domain("org_1", "dmn_1")
        .await
        .expect("delete succeeds");

    assert!(deleted.deleted);
    assert_eq!(deleted.id.as_deref(), Some("dmn_1"));
    assert_eq!(deleted.object, "organization_domain");
    assert_eq!(deleted.slug, None);
    let request = only_request(&server).await;
    assert!(request.body.is_empty(), "DELETE has no body");
    assert!(request.headers.get("content-type").is_none());
}

#[tokio::test]
async fn upload_organization_logo_sends_multipart_file_part() {
    let (server, client) = server_and_client().await;
    Mock::given(method("PUT"))
        .and(path("/organizations/org_1/logo"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(organization_with_logo_json(
                "org_1",
                "https://img.example/logo.png",
            )),
        )
        .expect(1)
        .mount(&server)
        .await;
    // Not valid UTF-8, with a CR LF inside: must arrive byte for byte.
    let png = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe,
    ];
    let mut body = UploadOrganizationLogoRequest::new(
        FilePart::new(png.clone())
            .file_name("logo.png")
            .content_type("image/png"),
    );
    body.uploader_user_id = Some("user_9".to_owned());

    let org = client
        .upload_organization_logo("org_1", &body)
        .await
        .expect("upload succeeds");

    assert_eq!(org.image_url, "https://img.example/logo.png");
    assert!(org.has_image);
    let request = only_request(&server).await;
    let content_type = header(&request, "content-type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let boundary = &content_type["multipart/form-data; boundary=".len()..];
    let sent = &request.body;
    assert!(contains_bytes(sent, boundary.as_bytes()));
    assert!(contains_bytes(sent, br#"name="file""#));
    assert!(contains_bytes(sent, br#"filename="logo.png""#));
    assert!(contains_bytes(sent, b"Content-Type: image/png"));
    assert!(contains_bytes(sent, &png), "file bytes arrive unchanged");
    assert!(contains_bytes(
        sent,
        b"name=\"uploader_user_id\"\r\n\r\nuser_9\r\n"
    ));
}

#[tokio::test]
async fn unusable_file_content_type_is_refused_before_sending() {
    let (server, client) = server_and_client().await;
    respond_to_any(&server, ResponseTemplate::new(200)).await;
    let body = UploadOrganizationLogoRequest::new(
        FilePart::new(vec![1, 2, 3]).content_type("not a mime type"),
    );

    let err = client
        .upload_organization_logo("org_1", &body)
        .await
        .expect_err("content type does not parse");

    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert_eq!(err.operation_id(), Some("UploadOrganizationLogo"));
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn update_instance_answered_204_returns_unit() {
    let (server, client) = server_and_client().await;
    Mock::given(method("PATCH"))
        .and(path("/instance"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let result = client
        .update_instance()
        .body(
            &UpdateInstanceRequest::default()
                .test_mode(true)
                .support_email(Nullable::Null),
        )
        .await;

    assert!(matches!(result, Ok(())), "{result:?}");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/json");
    let body: Value = request.body_json().expect("JSON body");
    assert_eq!(body, json!({"support_email": null, "test_mode": true}));
}

#[tokio::test]
async fn update_instance_without_body_sends_no_body() {
    let (server, client) = server_and_client().await;
    respond_to_any(&server, ResponseTemplate::new(204)).await;

    client.update_instance().await.expect("update succeeds");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert!(request.body.is_empty());
    assert!(request.headers.get("content-type").is_none());
}

#[tokio::test]
async fn base_url_path_prefix_is_kept_and_trailing_slash_ignored() {
    let (server, _) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(organizations_page()),
    )
    .await;
    let client = Client::builder(SECRET)
        .base_url(format!("{}/v1/", server.uri()))
        .build()
        .expect("client builds");

    client.list_organizations().await.expect("list succeeds");

    assert_eq!(only_request(&server).await.url.path(), "/v1/organizations");
}

#[tokio::test]
async fn api_version_and_user_agent_can_be_overridden() {
    let (server, _) = server_and_client().await;
    respond_to_any(
        &server,
        ResponseTemplate::new(200).set_body_json(organizations_page()),
    )
    .await;
    let client = builder_for(&server)
        .api_version("2099-01-01")
        .user_agent("my-app/1.0")
        .build()
        .expect("client builds");

    client.list_organizations().await.expect("list succeeds");

    let request = only_request(&server).await;
    assert_eq!(header(&request, "clerk-api-version"), "2099-01-01");
    assert_eq!(header(&request, "user-agent"), "my-app/1.0");
}

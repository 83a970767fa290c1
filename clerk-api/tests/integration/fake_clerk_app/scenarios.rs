//! The example application's three scenarios, each against a `FakeClerk` and nothing
//! else: what the fake holds afterwards is the assertion.

use super::app::{attach_domain, on_sign_up};
use clerk_api::testing::{FakeClerk, MockResponse};
use serde_json::json;

#[tokio::test]
async fn sign_up_creates_the_users_organization_with_them_as_admin() {
    let fake = FakeClerk::start().await;
    let ada = fake.seed_user(json!({"email_address": ["ada@acme.test"], "first_name": "Ada"}));

    let org = on_sign_up(&fake.client(), &ada, "Acme Inc").await.unwrap();
    assert_eq!(org.slug, "acme-inc");
    let stored = fake.organization(&org.id).unwrap();
    assert_eq!(stored["members_count"], 1);
    assert_eq!(fake.membership(&org.id, &ada).unwrap()["role"], "org:admin");
    assert_eq!(
        fake.user(&ada).unwrap()["public_metadata"],
        json!({"organization_id": org.id})
    );

    // A redelivered event: the same organization, nothing new.
    let again = on_sign_up(&fake.client(), &ada, "Acme Inc").await.unwrap();
    assert_eq!(again.id, org.id);
    assert_eq!(fake.organizations().len(), 1);
}

#[tokio::test]
async fn a_sign_up_interrupted_by_a_rate_limit_still_completes() {
    let fake = FakeClerk::start().await;
    let ada = fake.seed_user(json!({"first_name": "Ada"}));
    fake.on_operation("CreateOrganizationMembership")
        .times(1)
        .respond(MockResponse::too_many_requests(1));
    let org = on_sign_up(&fake.client(), &ada, "Acme").await.unwrap();
    assert_eq!(fake.membership(&org.id, &ada).unwrap()["role"], "org:admin");
    assert_eq!(fake.memberships(&org.id).len(), 1);
}

#[tokio::test]
async fn the_domain_job_attaches_verifies_and_enrolls_new_users() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let org = fake.seed_organization(json!({"name": "Acme"}));
    let other = fake.seed_organization(json!({"name": "Other"}));

    let domain = attach_domain(&client, &org, "acme.test").await.unwrap();
    let stored = &fake.domains(&org)[0];
    assert_eq!(stored["id"], domain.id.as_str());
    assert_eq!(stored["enrollment_mode"], "automatic_invitation");
    assert_eq!(stored["affiliation_verification"]["status"], "verified");
    assert_eq!(stored["ownership_verification"]["status"], "verified");

    // Run again: the same domain, unchanged.
    let again = attach_domain(&client, &org, "acme.test").await.unwrap();
    assert_eq!(
        (again.id.as_str(), again.updated_at),
        (domain.id.as_str(), domain.updated_at)
    );
    assert_eq!(fake.domains(&org).len(), 1);

    // What the job is for: a new user on the domain is invited to the organization.
    let ada = fake.seed_user(json!({"email_address": ["ada@acme.test"]}));
    let invitations = fake.organization_invitations(&org);
    assert_eq!(invitations.len(), 1);
    assert_eq!(
        (
            invitations[0]["email_address"].as_str(),
            invitations[0]["status"].as_str()
        ),
        (Some("ada@acme.test"), Some("pending"))
    );
    assert!(fake.membership(&org, &ada).is_none());

    // Another organization cannot take the domain.
    let taken = attach_domain(&client, &other, "acme.test")
        .await
        .unwrap_err();
    assert_eq!(
        taken.api().unwrap().errors()[0].code,
        "organization_domain_already_exists"
    );
}

#[cfg(all(feature = "auth", feature = "axum"))]
mod admin_page {
    use super::super::app::admin;
    use clerk_api::reqwest::{Client as Http, Method, StatusCode};
    use clerk_api::testing::FakeClerk;
    use serde_json::{json, Value};

    /// Serves the admin page on a free port of 127.0.0.1; returns its base URL.
    async fn serve(fake: &FakeClerk) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = admin::router(fake.client());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    }

    async fn call(method: Method, url: String, token: &str, body: &str) -> (StatusCode, Value) {
        let _ =
            rustls::crypto::CryptoProvider::install_default(rustls_graviola::default_provider());
        let answer = Http::new()
            .request(method, url)
            .bearer_auth(token)
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = answer.status();
        let bytes = answer.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    #[tokio::test]
    async fn the_admin_page_lists_members_changes_a_role_and_removes_one() {
        let fake = FakeClerk::start().await;
        let ada = fake.seed_user(json!({"first_name": "Ada", "last_name": "Lovelace"}));
        let bob = fake.seed_user(json!({"first_name": "Bob"}));
        let cy = fake.seed_user(json!({"first_name": "Cy"}));
        let org = fake.seed_organization(json!({"name": "Acme", "created_by": ada}));
        fake.seed_membership(&org, json!({"user_id": bob, "role": "org:member"}));
        fake.seed_membership(&org, json!({"user_id": cy, "role": "org:member"}));
        let page = serve(&fake).await;
        let admin = fake.session_token_in(&ada, &org);
        let members = format!("{page}/orgs/{org}/members");

        // Three members over two pages of the Backend API, oldest first.
        let (status, listed) = call(Method::GET, members.clone(), &admin, "").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            listed,
            json!([
                {"user_id": ada, "name": "Ada Lovelace", "role": "org:admin"},
                {"user_id": bob, "name": "Bob", "role": "org:member"},
                {"user_id": cy, "name": "Cy", "role": "org:member"},
            ])
        );

        let (status, _) = call(
            Method::PUT,
            format!("{members}/{bob}/role"),
            &admin,
            "org:admin",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fake.membership(&org, &bob).unwrap()["role"], "org:admin");
        let (status, _) = call(Method::DELETE, format!("{members}/{cy}"), &admin, "").await;
        assert_eq!(status, StatusCode::OK);
        assert!(fake.membership(&org, &cy).is_none());
        assert_eq!(fake.organization(&org).unwrap()["members_count"], 2);
        let (status, _) = call(Method::DELETE, format!("{members}/{cy}"), &admin, "").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn the_admin_page_refuses_members_other_organizations_and_strangers() {
        let fake = FakeClerk::start().await;
        let ada = fake.seed_user(json!({"first_name": "Ada"}));
        let bob = fake.seed_user(json!({"first_name": "Bob"}));
        let org = fake.seed_organization(json!({"name": "Acme", "created_by": ada}));
        let elsewhere = fake.seed_organization(json!({"name": "Elsewhere", "created_by": bob}));
        fake.seed_membership(&org, json!({"user_id": bob, "role": "org:member"}));
        let page = serve(&fake).await;
        let members = format!("{page}/orgs/{org}/members");

        // A member may read the list but not change it.
        let member = fake.session_token_in(&bob, &org);
        assert_eq!(
            call(Method::GET, members.clone(), &member, "").await.0,
            StatusCode::OK
        );
        let (status, _) = call(
            Method::PUT,
            format!("{members}/{ada}/role"),
            &member,
            "org:member",
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(fake.membership(&org, &ada).unwrap()["role"], "org:admin");
        // An admin of another organization, or a session without one, sees nothing.
        let other_admin = fake.session_token_in(&bob, &elsewhere);
        assert_eq!(
            call(Method::GET, members.clone(), &other_admin, "").await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            call(Method::GET, members.clone(), &fake.session_token(&ada), "")
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        // No token, or one from another instance: 401.
        assert_eq!(
            call(Method::GET, members.clone(), "", "").await.0,
            StatusCode::UNAUTHORIZED
        );
        let stranger = FakeClerk::start().await;
        stranger.seed_user(json!({"id": ada}));
        assert_eq!(
            call(Method::GET, members, &stranger.session_token(&ada), "")
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );
        // The admin may not remove themself here.
        let admin = fake.session_token_in(&ada, &org);
        let (status, _) = call(
            Method::DELETE,
            format!("{page}/orgs/{org}/members/{ada}"),
            &admin,
            "",
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
}

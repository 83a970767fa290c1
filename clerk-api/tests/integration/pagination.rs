//! `.stream()` of paginated operations against a real server: lazy pages, stop rules,
//! errors as items, pages fetched again after a failure. (Long streams under seeded
//! faults: `stream_faults.rs`.)

use crate::common;

use clerk_api::organizations::ListOrganizationsParams;
use clerk_api::Error;
use common::{
    organization_json, query_values, received, server_and_client, server_and_client_with_retry,
};
use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Answers `GET /organizations?offset=N` with the given page and total.
async fn page(server: &MockServer, offset: i64, ids: &[&str], total: i64) {
    let data: Vec<_> = ids
        .iter()
        .map(|id| organization_json(id, &format!("Org {id}")))
        .collect();
    Mock::given(method("GET"))
        .and(path("/organizations"))
        .and(query_param("offset", offset.to_string()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": data, "total_count": total})),
        )
        .mount(server)
        .await;
}

fn ids(orgs: &[clerk_api::models::Organization]) -> Vec<&str> {
    orgs.iter().map(|o| o.id.as_str()).collect()
}

fn params(limit: i64) -> ListOrganizationsParams {
    {
        let mut value = ListOrganizationsParams::default();
        value.limit = Some(limit);
        value
    }
}

#[tokio::test]
async fn an_empty_list_is_one_request_and_no_items() {
    let (server, client) = server_and_client().await;
    page(&server, 0, &[], 0).await;
    let all = client
        .list_organizations()
        .params(params(10))
        .stream()
        .collect_all()
        .await
        .unwrap();
    assert!(all.is_empty());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn an_exact_multiple_of_the_page_size_stops_at_the_total() {
    let (server, client) = server_and_client().await;
    page(&server, 0, &["a", "b"], 4).await;
    page(&server, 2, &["c", "d"], 4).await;
    let all = client
        .list_organizations()
        .params(params(2))
        .stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&all), ["a", "b", "c", "d"]);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "no third request for an empty page");
    assert_eq!(query_values(&requests[1], "limit"), ["2"]);
    assert_eq!(query_values(&requests[1], "offset"), ["2"]);
}

#[tokio::test]
async fn pages_are_fetched_lazily() {
    let (server, client) = server_and_client().await;
    page(&server, 0, &["a", "b"], 4).await;
    page(&server, 2, &["c", "d"], 4).await;
    let mut stream = client.list_organizations().params(params(2)).stream();
    assert_eq!(
        received(&server).await.len(),
        0,
        "nothing before the first poll"
    );
    assert_eq!(stream.next().await.unwrap().unwrap().id, "a");
    assert_eq!(stream.next().await.unwrap().unwrap().id, "b");
    assert_eq!(
        received(&server).await.len(),
        1,
        "the second page waits for demand"
    );
    assert_eq!(stream.next().await.unwrap().unwrap().id, "c");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_total_that_shrinks_mid_stream_ends_it() {
    let (server, client) = server_and_client().await;
    page(&server, 0, &["a", "b"], 6).await;
    page(&server, 2, &["c", "d"], 4).await;
    page(&server, 4, &["e", "f"], 6).await;
    let all = client
        .list_organizations()
        .params(params(2))
        .stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&all), ["a", "b", "c", "d"]);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_total_that_grows_mid_stream_is_followed() {
    let (server, client) = server_and_client().await;
    page(&server, 0, &["a", "b"], 2).await;
    let all = client
        .list_organizations()
        .params(params(2))
        .stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&all), ["a", "b"]);

    let (server, client) = server_and_client().await;
    page(&server, 0, &["a", "b"], 3).await;
    page(&server, 2, &["c", "d"], 5).await;
    page(&server, 4, &["e"], 5).await;
    let all = client
        .list_organizations()
        .params(params(2))
        .stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&all), ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn a_server_that_caps_the_page_below_the_limit_is_still_read_to_the_total() {
    let (server, client) = server_and_client().await;
    page(&server, 0, &["a", "b"], 5).await;
    page(&server, 2, &["c", "d"], 5).await;
    page(&server, 4, &["e"], 5).await;
    let all = client
        .list_organizations()
        .params(params(500))
        .stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&all), ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn offset_and_page_size_come_from_params_and_are_clamped() {
    let (server, client) = server_and_client().await;
    page(&server, 7, &["h"], 8).await;
    let start = {
        let mut value = ListOrganizationsParams::default();
        value.offset = Some(7);
        value.query = Some("acme".into());
        value
    };
    let all = client
        .list_organizations()
        .params(start)
        .stream()
        .page_size(10_000)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&all), ["h"]);
    let request = &received(&server).await[0];
    assert_eq!(query_values(request, "limit"), ["500"]);
    assert_eq!(query_values(request, "offset"), ["7"]);
    assert_eq!(
        query_values(request, "query"),
        ["acme"],
        "other params are kept"
    );
}

#[tokio::test]
async fn a_failed_page_is_an_error_item_that_ends_the_stream() {
    let (server, client) = server_and_client_with_retry(clerk_api::RetryPolicy::disabled()).await;
    page(&server, 0, &["a", "b"], 6).await;
    Mock::given(method("GET"))
        .and(query_param("offset", "2"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let items: Vec<Result<_, Error>> = client
        .list_organizations()
        .params(params(2))
        .stream()
        .page_retry(clerk_api::RetryPolicy::disabled())
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[1].as_ref().unwrap().id, "b");
    let err = items[2].as_ref().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.operation_id(), Some("ListOrganizations"));
    assert_eq!(
        received(&server).await.len(),
        2,
        "the failed page was asked for once"
    );

    let collected = client
        .list_organizations()
        .params(params(2))
        .stream()
        .page_retry(clerk_api::RetryPolicy::disabled())
        .try_collect::<Vec<_>>()
        .await;
    assert!(collected.is_err());
}

#[tokio::test]
async fn a_page_that_fails_the_calls_retries_is_fetched_again_at_the_same_offset() {
    let (server, client) = server_and_client_with_retry(clerk_api::RetryPolicy::disabled()).await;
    page(&server, 0, &["a", "b"], 4).await;
    // The second page fails twice (each time the whole call, the client retrying
    // nothing), then arrives.
    Mock::given(method("GET"))
        .and(query_param("offset", "2"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    page(&server, 2, &["c", "d"], 4).await;
    let all = client
        .list_organizations()
        .params(params(2))
        .stream()
        .page_retry(common::fast_retry())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&all), ["a", "b", "c", "d"]);
    let offsets: Vec<_> = received(&server)
        .await
        .iter()
        .map(|r| query_values(r, "offset"))
        .collect();
    assert_eq!(offsets, [["0"], ["2"], ["2"], ["2"]]);
}

#[tokio::test]
async fn a_page_that_fails_for_good_is_not_fetched_again() {
    let (server, client) = server_and_client().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let mut stream = client
        .list_organizations()
        .params(params(2))
        .stream()
        .page_retry(common::fast_retry());
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(stream.next().await.is_none());
    assert_eq!(received(&server).await.len(), 1);
    // Resuming is the caller's call: it asks once more.
    stream.resume();
    assert!(stream.next().await.unwrap().is_err());
    assert_eq!(stream.next_offset(), 0);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn streams_with_a_path_parameter_send_it_on_every_page() {
    let (server, client) = server_and_client().await;
    for (offset, id) in [(0, "dmn_1"), (1, "dmn_2")] {
        Mock::given(method("GET"))
            .and(path("/organizations/org%2F1/domains"))
            .and(query_param("offset", offset.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "data": [common::domain_json(id, "org/1", "example.com")],
                "total_count": 2,
            })))
            .mount(&server)
            .await;
    }
    let params = {
        let mut value = clerk_api::organization_domains::ListOrganizationDomainsParams::default();
        value.limit = Some(1);
        value
    };
    let all = client
        .list_organization_domains("org/1")
        .params(params)
        .stream()
        .collect_all()
        .await
        .unwrap();
    let got: Vec<&str> = all.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(got, ["dmn_1", "dmn_2"]);
}

//! Deserializing a 500-item page of organization memberships: the generated models
//! (`clerk_api::models::OrganizationMemberships`) against a hand-written plain serde
//! struct set with the same fields (plain `String`s and `Option`s, no forward-compatible
//! enums). Run by `cargo xtask bench`, or `cargo bench -p clerk-api --bench deserialize`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::hint::black_box;

#[path = "support/memberships.rs"]
mod memberships;
use memberships::{page, ITEMS};

/// The plain counterpart of the generated `OrganizationMemberships`.
#[allow(dead_code)]
mod plain {
    use super::*;

    #[derive(Deserialize)]
    pub struct OrganizationMemberships {
        pub data: Vec<OrganizationMembership>,
        pub total_count: i64,
    }

    #[derive(Deserialize)]
    pub struct OrganizationMembership {
        pub id: String,
        pub object: String,
        pub role: String,
        pub role_name: Option<String>,
        pub permissions: Vec<String>,
        pub public_metadata: Map<String, Value>,
        pub private_metadata: Option<Map<String, Value>>,
        pub organization: Organization,
        pub public_user_data: Option<PublicUserData>,
        pub created_at: i64,
        pub updated_at: i64,
    }

    #[derive(Deserialize)]
    pub struct Organization {
        pub object: String,
        pub id: String,
        pub name: String,
        pub slug: String,
        pub image_url: Option<String>,
        pub has_image: bool,
        pub members_count: Option<i64>,
        pub missing_member_with_elevated_permissions: Option<bool>,
        pub pending_invitations_count: Option<i64>,
        pub max_allowed_memberships: i64,
        pub admin_delete_enabled: bool,
        pub public_metadata: Map<String, Value>,
        pub private_metadata: Option<Map<String, Value>>,
        pub created_by: Option<String>,
        pub created_at: i64,
        pub updated_at: i64,
        pub last_active_at: Option<i64>,
        pub role_set_key: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct PublicUserData {
        pub user_id: String,
        pub first_name: Option<String>,
        pub last_name: Option<String>,
        pub profile_image_url: Option<String>,
        pub image_url: String,
        pub has_image: bool,
        pub identifier: Option<String>,
        pub username: Option<String>,
        pub banned: Option<bool>,
        pub deprovisioned: Option<bool>,
    }
}

fn bench(c: &mut Criterion) {
    let body = page();
    // Both decoders must accept the page and see the same items.
    let generated: clerk_api::models::OrganizationMemberships =
        clerk_api::json::from_slice(&body).expect("the generated models decode the page");
    let plain: plain::OrganizationMemberships =
        serde_json::from_slice(&body).expect("the plain structs decode the page");
    assert_eq!(generated.data.len(), ITEMS);
    assert_eq!(plain.data.len(), ITEMS);

    let mut group = c.benchmark_group("deserialize_500_memberships");
    group.throughput(Throughput::Bytes(body.len() as u64));
    // `generated` is exactly what `Client` does with a success body: the crate's own
    // reader into the generated models (`Response::model`).
    group.bench_with_input(
        BenchmarkId::from_parameter("generated"),
        &body,
        |b, body| {
            b.iter(|| {
                clerk_api::json::from_slice::<clerk_api::models::OrganizationMemberships>(
                    black_box(body),
                )
                .unwrap()
            })
        },
    );
    group.bench_with_input(BenchmarkId::from_parameter("plain"), &body, |b, body| {
        b.iter(|| {
            serde_json::from_slice::<plain::OrganizationMemberships>(black_box(body)).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Deserializing a 500-item page of organization memberships: the generated models
//! (`clerk_api::models::OrganizationMemberships`) against a hand-written plain serde
//! struct set with the same fields (plain `String`s and `Option`s, no forward-compatible
//! enums). Run by `cargo xtask bench`, or `cargo bench -p clerk-api --bench deserialize`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::hint::black_box;

/// Items in the page: the largest page the API serves.
const ITEMS: usize = 500;

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

/// One membership as the API sends it: every field of the model, with optional fields
/// sometimes null, the nested organization and user data, and small metadata objects.
fn membership(i: usize) -> Value {
    let created = 1_700_000_000_000_i64 + i as i64 * 86_400_123;
    let role = if i.is_multiple_of(7) {
        "org:admin"
    } else {
        "org:member"
    };
    let permissions: Vec<String> = if i.is_multiple_of(7) {
        [
            "org:sys_profile:manage",
            "org:sys_profile:delete",
            "org:sys_memberships:read",
            "org:sys_memberships:manage",
            "org:sys_domains:read",
            "org:sys_domains:manage",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect()
    } else {
        vec![
            "org:sys_memberships:read".to_owned(),
            "org:sys_domains:read".to_owned(),
        ]
    };
    json!({
        "object": "organization_membership",
        "id": format!("orgmem_2x{i:024}Kq"),
        "role": role,
        "role_name": if i.is_multiple_of(3) { Value::Null } else { json!(if i.is_multiple_of(7) { "Admin" } else { "Member" }) },
        "permissions": permissions,
        "public_metadata": { "department": format!("team-{}", i % 12), "seat": i, "onboarded": i.is_multiple_of(2) },
        "private_metadata": if i.is_multiple_of(4) { Value::Null } else { json!({ "billing_ref": format!("cus_{i:016}"), "notes": ["imported", "sso"] }) },
        "organization": {
            "object": "organization",
            "id": "org_2xAcmeCorporation0000000001",
            "name": "Acme Corporation",
            "slug": "acme-corporation",
            "image_url": "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCIsImlpZCI6Imluc18yeCJ9",
            "has_image": true,
            "members_count": Value::Null,
            "missing_member_with_elevated_permissions": Value::Null,
            "pending_invitations_count": 3,
            "max_allowed_memberships": 500,
            "admin_delete_enabled": true,
            "public_metadata": { "plan": "enterprise", "region": "eu-west-1" },
            "private_metadata": { "crm_id": "0015g00000XyZabAAA", "seats": 500 },
            "created_by": "user_2xFounder00000000000000001",
            "created_at": 1_690_000_000_000_i64,
            "updated_at": 1_735_000_000_000_i64,
            "last_active_at": 1_760_000_000_000_i64,
            "role_set_key": Value::Null,
        },
        "public_user_data": {
            "user_id": format!("user_2x{i:024}Zp"),
            "first_name": format!("First{i}"),
            "last_name": if i.is_multiple_of(5) { Value::Null } else { json!(format!("Last{i}")) },
            "profile_image_url": format!("https://images.clerk.dev/uploaded/img_{i:020}.png"),
            "image_url": format!("https://img.clerk.com/eyJ0eXBlIjoicHJveHkiLCJzcmMiOiJ{i:016}"),
            "has_image": i.is_multiple_of(2),
            "identifier": format!("user{i}@example.com"),
            "username": if i.is_multiple_of(3) { Value::Null } else { json!(format!("user{i}")) },
            "banned": false,
            "deprovisioned": Value::Null,
        },
        "created_at": created,
        "updated_at": created + 3_600_000,
    })
}

fn page() -> Vec<u8> {
    let data: Vec<Value> = (0..ITEMS).map(membership).collect();
    serde_json::to_vec(&json!({ "data": data, "total_count": 1234 })).unwrap()
}

fn bench(c: &mut Criterion) {
    let body = page();
    // Both decoders must accept the page and see the same items.
    let generated: clerk_api::models::OrganizationMemberships =
        serde_json::from_slice(&body).expect("the generated models decode the page");
    let plain: plain::OrganizationMemberships =
        serde_json::from_slice(&body).expect("the plain structs decode the page");
    assert_eq!(generated.data.len(), ITEMS);
    assert_eq!(plain.data.len(), ITEMS);

    let mut group = c.benchmark_group("deserialize_500_memberships");
    group.throughput(Throughput::Bytes(body.len() as u64));
    // `generated` is exactly what `Client` does with a success body: plain serde_json
    // into the generated models (a failure is located afterwards, off the hot path).
    group.bench_with_input(
        BenchmarkId::from_parameter("generated"),
        &body,
        |b, body| {
            b.iter(|| {
                serde_json::from_slice::<clerk_api::models::OrganizationMemberships>(black_box(
                    body,
                ))
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

//! A 500-item page of organization memberships as the API sends it, shared by the
//! deserialize and request benches.

use serde_json::{json, Value};

/// Items in the page: the largest page the API serves.
pub const ITEMS: usize = 500;

/// One membership as the API sends it: every field of the model, with optional fields
/// sometimes null, the nested organization and user data, and small metadata objects.
pub fn membership(i: usize) -> Value {
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

pub fn page() -> Vec<u8> {
    let data: Vec<Value> = (0..ITEMS).map(membership).collect();
    serde_json::to_vec(&json!({ "data": data, "total_count": 1234 })).unwrap()
}

//! The user filters and orderings of `GET /users` and `GET /users/count`, which the
//! membership list applies to its members.

use super::{primary, Identification, UserRecord};
use crate::testing::fake::call::Call;
use crate::testing::fake::error::Outcome;
use crate::testing::fake::list::{after, before, contains_ci, IdFilter, SortKey};
use crate::testing::fake::state::Instance;

/// The user filters of `GET /users` and `GET /users/count`, which the membership list
/// shares (on its members).
pub(crate) struct UserFilter<'q> {
    emails: Vec<&'q str>,
    phones: Vec<&'q str>,
    usernames: Vec<&'q str>,
    wallets: Vec<&'q str>,
    external_ids: IdFilter,
    user_ids: IdFilter,
    organization_ids: IdFilter,
    provider_user_ids: Vec<&'q str>,
    query: Option<&'q str>,
    email_query: Option<&'q str>,
    phone_query: Option<&'q str>,
    username_query: Option<&'q str>,
    name_query: Option<&'q str>,
    banned: Option<bool>,
    created: (Option<i64>, Option<i64>),
    active: (Option<i64>, Option<i64>),
    sign_in: (Option<i64>, Option<i64>),
}

impl<'q> UserFilter<'q> {
    pub fn from_call(call: &Call<'q>) -> Outcome<UserFilter<'q>> {
        let since = call.query_int("last_active_at_since")?;
        Ok(UserFilter {
            emails: call.query_all("email_address"),
            phones: call.query_all("phone_number"),
            usernames: call.query_all("username"),
            wallets: call.query_all("web3_wallet"),
            external_ids: IdFilter::new(&call.query_all("external_id")),
            user_ids: IdFilter::new(&call.query_all("user_id")),
            organization_ids: IdFilter::new(&call.query_all("organization_id")),
            provider_user_ids: call.query_all("provider_user_id"),
            query: call.query("query"),
            email_query: call.query("email_address_query"),
            phone_query: call.query("phone_number_query"),
            username_query: call.query("username_query"),
            name_query: call.query("name_query"),
            banned: call.query_bool("banned")?,
            created: (
                call.query_int("created_at_before")?,
                call.query_int("created_at_after")?,
            ),
            active: (
                call.query_int("last_active_at_before")?,
                call.query_int("last_active_at_after")?.or(since),
            ),
            sign_in: (
                call.query_int("last_sign_in_at_before")?,
                call.query_int("last_sign_in_at_after")?,
            ),
        })
    }

    pub fn admits(&self, inst: &Instance, u: &UserRecord) -> bool {
        let values = |items: &[Identification]| -> Vec<String> {
            items.iter().map(|i| i.value.clone()).collect()
        };
        let (emails, phones, wallets) = (
            values(&u.email_addresses),
            values(&u.phone_numbers),
            values(&u.web3_wallets),
        );
        let username: Vec<String> = u.username.iter().cloned().collect();
        let names: Vec<String> = [&u.first_name, &u.last_name]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let exact = |wanted: &[&str], have: &[String]| {
            wanted.is_empty()
                || have
                    .iter()
                    .any(|h| wanted.iter().any(|w| w.eq_ignore_ascii_case(h)))
        };
        let substring = |needle: Option<&str>, have: &[String]| {
            needle.is_none_or(|needle| have.iter().any(|h| contains_ci(h, needle)))
        };
        let everything = [
            &emails[..],
            &phones[..],
            &wallets[..],
            &username[..],
            &names[..],
            &[u.id.clone()][..],
        ]
        .concat();
        let organizations = inst
            .memberships
            .values()
            .filter(|m| m.user_id == u.id)
            .map(|m| m.organization_id.as_str());
        exact(&self.emails, &emails)
            && exact(&self.phones, &phones)
            && exact(&self.wallets, &wallets)
            && exact(&self.usernames, &username)
            && (self.external_ids.is_empty() || self.external_ids.admits(u.external_id.as_deref()))
            && self.user_ids.admits([u.id.as_str()])
            && (self.organization_ids.is_empty() || self.organization_ids.admits(organizations))
            // The fake links no OAuth accounts, so no user has a provider's user id.
            && self.provider_user_ids.is_empty()
            && self.banned.is_none_or(|b| u.banned == b)
            && substring(self.query, &everything)
            && substring(self.email_query, &emails)
            && substring(self.phone_query, &phones)
            && substring(self.username_query, &username)
            && substring(self.name_query, &names)
            && before(Some(u.created_at), self.created.0)
            && after(Some(u.created_at), self.created.1)
            && before(u.last_active_at, self.active.0)
            && after(u.last_active_at, self.active.1)
            && before(u.last_sign_in_at, self.sign_in.0)
            && after(u.last_sign_in_at, self.sign_in.1)
    }
}

pub(super) fn matching<'a>(inst: &'a Instance, call: &Call<'_>) -> Outcome<Vec<&'a UserRecord>> {
    let filter = UserFilter::from_call(call)?;
    Ok(inst
        .users
        .values()
        .filter(|u| filter.admits(inst, u))
        .collect())
}

pub(super) const ORDER_FIELDS: &[&str] = &[
    "created_at",
    "email_address",
    "first_name",
    "last_active_at",
    "last_name",
    "last_sign_in_at",
    "phone_number",
    "updated_at",
    "username",
    "web3wallet",
];

pub(crate) fn sort_key(user: &UserRecord, field: &str) -> SortKey {
    match field {
        "created_at" => SortKey::number(Some(user.created_at)),
        "updated_at" => SortKey::number(Some(user.updated_at)),
        "last_active_at" => SortKey::number(user.last_active_at),
        "last_sign_in_at" => SortKey::number(user.last_sign_in_at),
        "email_address" => SortKey::text(user.primary_email()),
        "phone_number" => SortKey::text(user.primary_phone()),
        "first_name" => SortKey::text(user.first_name.as_deref()),
        "last_name" => SortKey::text(user.last_name.as_deref()),
        "username" => SortKey::text(user.username.as_deref()),
        "web3wallet" => SortKey::text(primary(
            &user.web3_wallets,
            user.primary_web3_wallet_id.as_deref(),
        )),
        _ => SortKey::Missing,
    }
}

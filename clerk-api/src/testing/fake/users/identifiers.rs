//! The checks of a user's identifiers: the form of an email address, phone number,
//! username and password, and the uniqueness of each across the instance.

use super::Identification;
use crate::testing::fake::call::Body;
use crate::testing::fake::error::{Failure, Outcome};
use crate::testing::fake::ids::new_id;
use crate::testing::fake::state::Instance;

/// `local@domain.tld`, loosely, as a form would check it.
pub(crate) fn check_email(param: &str, email: &str) -> Outcome<()> {
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.contains(char::is_whitespace)
    });
    if valid {
        Ok(())
    } else {
        Err(Failure::bad_format(
            param,
            format!("{param} has to be a valid email address, not {email}."),
        ))
    }
}

pub(super) fn check_phone(phone: &str) -> Outcome<()> {
    let digits = phone.strip_prefix('+').unwrap_or("");
    if (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Failure::bad_format(
            "phone_number",
            format!("phone_number has to be an E.164 number such as +15555550100, not {phone}."),
        ))
    }
}

pub(super) fn check_username(username: &str) -> Outcome<()> {
    if !(4..=64).contains(&username.chars().count()) {
        return Err(Failure::new(
            422,
            "form_username_invalid_length",
            "is invalid",
            format!("username has to be 4 to 64 characters long, not {username:?}."),
        )
        .param("username"));
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(Failure::new(
            422,
            "form_username_invalid_character",
            "is invalid",
            "username can hold letters, digits, `_`, `-` and `.` only.".to_owned(),
        )
        .param("username"));
    }
    Ok(())
}

pub(super) fn check_password(password: &str) -> Outcome<()> {
    if password.chars().count() < 8 {
        return Err(Failure::new(
            422,
            "form_password_length_too_short",
            "is too short",
            "password has to be at least 8 characters long.".to_owned(),
        )
        .param("password"));
    }
    Ok(())
}

/// Every other user (than `except`) holding `value` under `field`.
pub(super) fn taken_by_other(
    inst: &Instance,
    except: Option<&str>,
    field: &str,
    value: &str,
) -> bool {
    inst.users
        .values()
        .filter(|u| Some(u.id.as_str()) != except)
        .any(|u| {
            let any = |items: &[Identification]| {
                items.iter().any(|i| i.value.eq_ignore_ascii_case(value))
            };
            match field {
                "email_address" => any(&u.email_addresses),
                "phone_number" => any(&u.phone_numbers),
                "web3_wallet" => any(&u.web3_wallets),
                "username" => u
                    .username
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(value)),
                "external_id" => u.external_id.as_deref() == Some(value),
                _ => false,
            }
        })
}

pub(super) fn unique(
    inst: &Instance,
    except: Option<&str>,
    field: &str,
    value: &str,
) -> Outcome<()> {
    if taken_by_other(inst, except, field, value) {
        Err(Failure::taken(field, value))
    } else {
        Ok(())
    }
}

/// The identifications of one kind in a create body, checked and unique, with their
/// `*_identification_status` (verified unless `reserved`).
pub(super) fn identifications(
    inst: &Instance,
    body: &Body<'_>,
    field: &str,
    prefix: &str,
    now: i64,
) -> Outcome<Vec<Identification>> {
    let values = body.strings(field)?;
    let statuses = body.strings(&format!("{field}_identification_status"))?;
    let mut items: Vec<Identification> = Vec::new();
    for (index, raw) in values.iter().enumerate() {
        let value = if field == "email_address" {
            raw.trim().to_lowercase()
        } else {
            raw.trim().to_owned()
        };
        match field {
            "email_address" => check_email(field, &value)?,
            "phone_number" => check_phone(&value)?,
            _ => {}
        }
        if items.iter().any(|i| i.value.eq_ignore_ascii_case(&value)) {
            return Err(Failure::new(
                422,
                "form_param_duplicate",
                "is duplicate",
                format!("{value} is given twice in {field}."),
            )
            .param(field));
        }
        unique(inst, None, field, &value)?;
        items.push(Identification {
            id: new_id(prefix),
            value,
            reserved: statuses.get(index).is_some_and(|s| s == "reserved"),
            created_at: now,
        });
    }
    Ok(items)
}

/// A user's own identification id for a `primary_*_id` update; 422 otherwise.
pub(super) fn own_identification(
    items: &[Identification],
    param: &str,
    id: &str,
) -> Outcome<String> {
    match items.iter().find(|i| i.id == id) {
        Some(item) if !item.reserved => Ok(item.id.clone()),
        _ => Err(Failure::invalid_value(
            param,
            format!("{id} is not a verified identification of this user."),
        )),
    }
}

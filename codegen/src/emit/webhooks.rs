//! [`WebhookApi`] -> the tokens of the webhook events module: the generic envelope, the
//! event enum tagged by `type` (with a catch-all for event types this version does not
//! know), and the payload models, written by the same model emitter as the Backend API's.

use super::docs::doc_attrs;
use super::model::{field_type, model, serialize_attrs, Context};
use super::{type_tokens, Scope};
use crate::ir::webhooks::{WebhookApi, WebhookEvent, ENVELOPE, EVENT_ENUM};
use crate::ir::{ModelKind, Usage};
use crate::naming::RustIdent;
use crate::runtime_api::RuntimeItem;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The whole events module (one file).
pub fn events_module(api: &WebhookApi) -> TokenStream {
    let title_doc = format!(
        " Typed events generated from {} {}.",
        api.title, api.version
    );
    let module_docs = api
        .description
        .as_deref()
        .map(super::rustdoc)
        .unwrap_or_default()
        .into_iter()
        .map(|line| {
            let text = if line.is_empty() {
                line
            } else {
                format!(" {line}")
            };
            quote!(#![doc = #text])
        });
    let envelope = envelope(api);
    let event_enum = event_enum(api);
    let kinds: BTreeMap<&RustIdent, &ModelKind> =
        api.models.iter().map(|m| (&m.name, &m.kind)).collect();
    let is_enum = |name: &RustIdent| matches!(kinds.get(name), Some(ModelKind::Enum(_)));
    let context = Context {
        multipart: false,
        parameter: false,
        is_enum: &is_enum,
    };
    let models = api.models.iter().flat_map(|m| model(m, &context));
    quote! {
        #![doc = #title_doc]
        #![doc = ""]
        #(#module_docs)*
        #![doc = ""]
        #![doc = " Payload types are this module's own, even where the Backend API has a model of the"]
        #![doc = " same name (`User`, `Organization`, ...): webhook payloads follow the webhook spec,"]
        #![doc = " which differs from the Backend API's in places."]
        // Generated code may use the spec's deprecated items; callers still get the
        // warning where they use them.
        #![allow(deprecated)]

        #envelope
        #event_enum
        #(#models)*
    }
}

/// `Envelope<T>`: the fields every event shares, and `data`.
fn envelope(api: &WebhookApi) -> TokenStream {
    let name = RustIdent::new(ENVELOPE);
    let docs = doc_attrs([
        api.envelope.doc.as_deref(),
        Some("The fields every event carries, around the `data` of its type."),
    ]);
    let fields = api.envelope.fields.iter().map(|f| {
        let docs = doc_attrs([f.doc.as_deref()]);
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        let attrs = serialize_attrs(f, Usage::RESPONSE);
        let fname = &f.name;
        let ty = field_type(f, Usage::RESPONSE, false);
        quote! {
            #docs
            #deprecated
            #attrs
            pub #fname: #ty,
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name<T> {
            #(#fields)*
            /// The resource the event is about; its type depends on the event type.
            pub data: T,
        }
    }
}

/// The event enum, its accessors and its `type`-directed `Deserialize`.
fn event_enum(api: &WebhookApi) -> TokenStream {
    let name = RustIdent::new(EVENT_ENUM);
    let envelope = RustIdent::new(ENVELOPE);
    let variants = api.events.iter().map(|e| {
        let vname = &e.variant;
        let mut data = type_tokens(&e.data, Scope::Models);
        if e.data_nullable {
            data = quote!(::std::option::Option<#data>);
        }
        let summary = format!(" `{}`", e.event_type);
        let docs = doc_attrs([e.doc.as_deref()]);
        let deprecated = e.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #[doc = #summary]
            #[doc = ""]
            #docs
            #deprecated
            #vname(::std::boxed::Box<#envelope<#data>>),
        }
    });
    let types = api.events.iter().map(|e| &e.event_type);
    let type_arms = api.events.iter().map(|e| {
        let vname = &e.variant;
        let wire = &e.event_type;
        quote!(#name::#vname(_) => #wire,)
    });
    let id_arms = api.events.iter().map(|e| data_id_arm(&name, e));
    let from_json_value = RuntimeItem::FromJsonValue;
    let de_arms = api.events.iter().map(|e| {
        let vname = &e.variant;
        let wire = &e.event_type;
        quote! {
            #wire => #from_json_value(value).map(|event| #name::#vname(::std::boxed::Box::new(event))),
        }
    });
    quote! {
        /// A webhook event, by its `type`. Each known type carries its typed `data` in an
        /// [`Envelope`]; any other type decodes to [`Event::Unknown`], so a new event type
        /// never fails to decode. Unknown fields are ignored.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An event type this version of the crate does not know: the whole event as
            /// Clerk sent it.
            Unknown(::serde_json::Value),
        }

        impl #name {
            /// Every event type this version knows, in the order of the spec.
            pub const KNOWN_TYPES: &'static [&'static str] = &[#(#types),*];

            /// The event type (`type` on the wire), such as `user.created`.
            pub fn event_type(&self) -> &str {
                match self {
                    #(#type_arms)*
                    #name::Unknown(value) => value
                        .get("type")
                        .and_then(::serde_json::Value::as_str)
                        .unwrap_or_default(),
                }
            }

            /// The `id` of the event's `data`, when it has a string one.
            pub fn data_id(&self) -> ::std::option::Option<&str> {
                match self {
                    #(#id_arms)*
                    #name::Unknown(value) => value
                        .get("data")
                        .and_then(|data| data.get("id"))
                        .and_then(::serde_json::Value::as_str),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let ::std::option::Option::Some(event_type) = value.get("type").and_then(::serde_json::Value::as_str) else {
                    return ::std::result::Result::Err(<__D::Error as ::serde::de::Error>::custom(
                        "not a webhook event: no string `type`",
                    ));
                };
                match event_type {
                    #(#de_arms)*
                    _ => ::std::result::Result::Ok(#name::Unknown(value)),
                }
            }
        }
    }
}

fn data_id_arm(name: &RustIdent, event: &WebhookEvent) -> TokenStream {
    let vname = &event.variant;
    let Some(id) = &event.data_id else {
        return quote!(#name::#vname(_) => ::std::option::Option::None,);
    };
    let field = &id.field;
    match (event.data_nullable, id.optional) {
        (false, false) => {
            quote!(#name::#vname(event) => ::std::option::Option::Some(event.data.#field.as_str()),)
        }
        (false, true) => quote!(#name::#vname(event) => event.data.#field.as_deref(),),
        (true, false) => {
            quote!(#name::#vname(event) => event.data.as_ref().map(|data| data.#field.as_str()),)
        }
        (true, true) => {
            quote!(#name::#vname(event) => event.data.as_ref().and_then(|data| data.#field.as_deref()),)
        }
    }
}

//! Models -> structs, forward-compatible string enums, unions and aliases.

use super::docs::doc_attrs;
use super::{ident, type_tokens, Scope};
use crate::ir::{Field, Model, ModelKind, StringEnum, Struct, Union, Usage};
use proc_macro2::TokenStream;
use quote::quote;

/// The items of one model (the type and its impls). `is_enum` tells which named types
/// are string enums (written as text in multipart).
pub fn model(model: &Model, multipart: bool, is_enum: &dyn Fn(&str) -> bool) -> Vec<TokenStream> {
    let constraint = match &model.kind {
        ModelKind::Struct(s) if !s.required_any_of.is_empty() => {
            let groups: Vec<String> = s
                .required_any_of
                .iter()
                .map(|group| {
                    group
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                })
                .collect();
            Some(format!(
                "At least one of these must be set: {}.",
                groups.join("; or ")
            ))
        }
        _ => None,
    };
    let docs = doc_attrs([model.doc.as_deref(), constraint.as_deref()]);
    let deprecated = model.deprecated.then(|| quote!(#[deprecated]));
    let mut items = match &model.kind {
        ModelKind::Struct(s) => structure(model, s, multipart, is_enum),
        ModelKind::Enum(e) => string_enum(model, e),
        ModelKind::Union(u) => union(model, u),
        ModelKind::Alias(ty) => {
            let name = ident(&model.name);
            let ty = type_tokens(ty, Scope::Models);
            vec![quote!(pub type #name = #ty;)]
        }
    };
    // The type itself is the first item: it carries the docs.
    items[0] = {
        let first = &items[0];
        quote! {
            #docs
            #deprecated
            #first
        }
    };
    items
}

fn serde_derives(usage: Usage) -> TokenStream {
    let ser = usage.serialize.then(|| quote!(::serde::Serialize,));
    let de = usage.deserialize.then(|| quote!(::serde::Deserialize,));
    quote!(#ser #de)
}

/// The Rust type of a field: required fields are plain, optional ones `Option`, and
/// optional nullable ones in request types three-state [`Nullable`] so a PATCH can
/// send `null` to clear a value.
pub fn field_type(field: &Field, usage: Usage, multipart: bool) -> TokenStream {
    let scope = if multipart {
        Scope::Multipart
    } else {
        Scope::Models
    };
    let mut ty = type_tokens(&field.ty, scope);
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    match (field.required, field.nullable) {
        (true, false) => ty,
        // Multipart has no `null`: an optional nullable part is simply left out.
        (false, true) if usage.serialize && !multipart => quote!(crate::Nullable<#ty>),
        _ => quote!(::std::option::Option<#ty>),
    }
}

pub(super) fn field_attrs(field: &Field, usage: Usage) -> TokenStream {
    let bare = field.name.trim_start_matches("r#");
    let rename = (bare != field.wire).then(|| {
        let wire = &field.wire;
        quote!(rename = #wire,)
    });
    if field.read_only && usage.serialize {
        // Response-only data (`readOnly`) is never sent.
        return quote!(#[serde(#rename default, skip_serializing)]);
    }
    let presence = match (field.required, field.nullable) {
        (true, false) => None,
        (false, true) if usage.serialize => Some(quote!(
            default,
            skip_serializing_if = "crate::Nullable::is_absent",
        )),
        (false, _) if usage.serialize => Some(quote!(
            default,
            skip_serializing_if = "::std::option::Option::is_none",
        )),
        // Optional fields may be absent; required nullable ones are always sent (as
        // `null` when `None`) and tolerated when absent.
        (false, _) | (true, true) => Some(quote!(default,)),
    };
    if rename.is_none() && presence.is_none() {
        return quote!();
    }
    quote!(#[serde(#rename #presence)])
}

fn structure(
    model: &Model,
    s: &Struct,
    multipart: bool,
    is_enum: &dyn Fn(&str) -> bool,
) -> Vec<TokenStream> {
    let name = ident(&model.name);
    let usage = model.usage;
    let derive_serde = if multipart {
        // Multipart bodies are written part by part, not through serde.
        serde_derives(Usage {
            serialize: false,
            ..usage
        })
    } else {
        serde_derives(usage)
    };
    let all_optional = s.fields.iter().all(|f| !f.required);
    let default = (all_optional && s.additional.is_none()).then(|| quote!(Default,));
    let fields = s.fields.iter().map(|f| {
        let docs = doc_attrs([f.doc.as_deref()]);
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        let attrs = if multipart {
            quote!()
        } else {
            field_attrs(f, usage)
        };
        let fname = ident(&f.name);
        let ty = field_type(f, usage, multipart);
        quote! {
            #docs
            #deprecated
            #attrs
            pub #fname: #ty,
        }
    });
    let additional = s.additional.as_ref().map(|ty| {
        let ty = type_tokens(ty, Scope::Models);
        let additional_name = ident(&s.additional_name);
        quote! {
            /// Properties beyond the named fields.
            #[serde(flatten)]
            pub #additional_name: ::std::collections::BTreeMap<::std::string::String, #ty>,
        }
    });
    let constructor = (usage.serialize && !all_optional).then(|| constructor(model, s, multipart));
    let multipart_impl = multipart.then(|| multipart_parts(model, s, is_enum));
    let structure = quote! {
        #[derive(Debug, Clone, PartialEq, #default #derive_serde)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    };
    [Some(structure), constructor, multipart_impl]
        .into_iter()
        .flatten()
        .collect()
}

/// `new(required fields...)` for request types, every optional field left unset.
fn constructor(model: &Model, s: &Struct, multipart: bool) -> TokenStream {
    let name = ident(&model.name);
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = field_type(f, model.usage, multipart);
        quote!(#fname: #ty)
    });
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        if f.required {
            quote!(#fname)
        } else {
            quote!(#fname: ::std::default::Default::default())
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        let additional_name = ident(&s.additional_name);
        quote!(#additional_name: ::std::default::Default::default(),)
    });
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #name {
            /// A value with the required fields set and every optional field unset.
            #many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #additional }
            }
        }
    }
}

/// `multipart/form-data` bodies: each field becomes a part; files keep their name and
/// content type, scalars are written as text, anything else as JSON text.
fn multipart_parts(model: &Model, s: &Struct, is_enum: &dyn Fn(&str) -> bool) -> TokenStream {
    use crate::ir::Type;
    let name = ident(&model.name);
    // One part per value: files keep their name and type, scalars and enums are text,
    // arrays of those are one part per item (OpenAPI 3.0), anything else is JSON text.
    fn add_part(ty: &Type, wire: &str, is_enum: &dyn Fn(&str) -> bool) -> TokenStream {
        match ty {
            Type::Bytes => quote!(form.file(#wire, value.clone())),
            Type::Bool | Type::I32 | Type::I64 | Type::F32 | Type::F64 | Type::String => {
                quote!(form.text(#wire, crate::runtime::ParamValue::to_param(value).into_owned()))
            }
            Type::Named(n) if is_enum(n) => quote!(form.text(#wire, value.as_str().to_owned())),
            Type::Vec(item) if !matches!(**item, Type::Vec(_) | Type::Option(_) | Type::Map(_)) => {
                let add = add_part(item, wire, is_enum);
                quote! {
                    for value in value {
                        #add;
                    }
                }
            }
            _ => quote!(form.json(#wire, value)),
        }
    }
    let parts = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let add = add_part(&f.ty, &f.wire, is_enum);
        if f.required && !f.nullable {
            quote! { { let value = &self.#fname; #add; } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = self.#fname.as_ref() { #add; } }
        }
    });
    quote! {
        impl #name {
            #[doc(hidden)]
            pub fn to_multipart(&self) -> crate::runtime::Multipart {
                let mut form = crate::runtime::Multipart::new();
                #(#parts)*
                form
            }
        }
    }
}

fn string_enum(model: &Model, e: &StringEnum) -> Vec<TokenStream> {
    let name = ident(&model.name);
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire;
        let doc = format!(" `{wire:?}`");
        quote!(#[doc = #doc] #vname,)
    });
    let as_str = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire;
        quote!(#name::#vname => #wire,)
    });
    let from_str = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire;
        quote!(#wire => #name::#vname,)
    });
    let ser = model.usage.serialize.then(|| {
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        }
    });
    let de = model.usage.deserialize.then(|| {
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    crate::runtime::deserialize_enum_str(deserializer)
                }
            }
        }
    });
    let enumeration = quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know; sent back unchanged.
            Unknown(::std::string::String),
        }
    };
    let as_str = quote! {
        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    #name::Unknown(value) => value,
                }
            }
        }
    };
    let from = quote! {
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => #name::Unknown(other.to_owned()),
                }
            }
        }
    };
    let display = quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    let param = quote! {
        impl crate::runtime::ParamValue for #name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    };
    [
        Some(enumeration),
        Some(as_str),
        Some(from),
        Some(display),
        Some(param),
        ser,
        de,
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn union(model: &Model, u: &Union) -> Vec<TokenStream> {
    let name = ident(&model.name);
    let usage = model.usage;
    // Responses may carry shapes this version does not know; keep them as JSON.
    let catch_all = usage.deserialize;
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = type_tokens(&v.ty, Scope::Models);
        quote!(#vname(#ty),)
    });
    let unknown = catch_all.then(|| {
        quote! {
            /// A value that matches none of the known shapes.
            Unknown(::serde_json::Value),
        }
    });
    match &u.tag {
        None => {
            let derives = serde_derives(usage);
            vec![quote! {
                #[derive(Debug, Clone, PartialEq, #derives)]
                #[serde(untagged)]
                pub enum #name {
                    #(#variants)*
                    #unknown
                }
            }]
        }
        Some(tag) => {
            let ser_arms = u.variants.iter().map(|v| {
                let vname = ident(&v.name);
                quote!(#name::#vname(value) => ::serde::Serialize::serialize(value, serializer),)
            });
            let unknown_ser = catch_all.then(|| quote!(#name::Unknown(value) => ::serde::Serialize::serialize(value, serializer),));
            let ser = usage.serialize.then(|| {
                quote! {
                    impl ::serde::Serialize for #name {
                        fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                            match self {
                                #(#ser_arms)*
                                #unknown_ser
                            }
                        }
                    }
                }
            });
            let de_arms = u.variants.iter().map(|v| {
                let vname = ident(&v.name);
                let tags = &v.tags;
                quote! {
                    ::std::option::Option::Some(#(#tags)|*) => crate::runtime::from_json_value(value).map(#name::#vname),
                }
            });
            let de = usage.deserialize.then(|| {
                quote! {
                    impl<'de> ::serde::Deserialize<'de> for #name {
                        fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                            let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                            match value.get(#tag).and_then(::serde_json::Value::as_str) {
                                #(#de_arms)*
                                _ => ::std::result::Result::Ok(#name::Unknown(value)),
                            }
                        }
                    }
                }
            });
            let enumeration = quote! {
                #[derive(Debug, Clone, PartialEq)]
                pub enum #name {
                    #(#variants)*
                    #unknown
                }
            };
            [Some(enumeration), ser, de].into_iter().flatten().collect()
        }
    }
}

//! Models -> structs, forward-compatible string enums, unions and aliases.

use super::docs::doc_attrs;
use super::{type_tokens, Scope};
use crate::ir::{
    Field, Model, ModelKind, Presence, StringEnum, Struct, Type, Union, Usage, Wrapper,
};
use crate::naming::{reserve_setter_names, setter_clashes, RustIdent, UniqueNames};
use crate::runtime_api::{RootItem, RuntimeItem, MODEL_METHODS};
use proc_macro2::TokenStream;
use quote::quote;

/// Tells which named types are string enums (written as text in multipart).
pub type IsEnum<'a> = &'a dyn Fn(&RustIdent) -> bool;

/// What a model's items depend on beyond the model itself.
pub struct Context<'a> {
    /// The model is a `multipart/form-data` body.
    pub multipart: bool,
    /// Parameters carry the model (so it is written into requests as text).
    pub parameter: bool,
    pub is_enum: IsEnum<'a>,
}

/// The items of one model (the type and its impls). `is_enum` tells which named types
/// are string enums (written as text in multipart).
pub fn model(model: &Model, context: &Context) -> Vec<TokenStream> {
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
        ModelKind::Struct(s) => structure(model, s, context.multipart, context.is_enum),
        ModelKind::Enum(e) => string_enum(model, e, context.parameter),
        ModelKind::Union(u) => union(model, u),
        ModelKind::Alias(ty) => {
            let name = &model.name;
            let ty = type_tokens(ty, Scope::Models);
            vec![quote!(pub type #name = #ty;)]
        }
        ModelKind::Newtype(ty) => {
            let name = &model.name;
            let ty = type_tokens(ty, Scope::Models);
            let derives = serde_derives(model.usage);
            vec![quote! {
                #[derive(Debug, Clone, PartialEq, #derives)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }]
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

/// Every model serializes (users cache and forward what Clerk sent, and build canned
/// answers for their tests); only those that arrive in responses deserialize.
fn serde_derives(usage: Usage) -> TokenStream {
    let ser = quote!(::serde::Serialize,);
    let de = usage.deserialize.then(|| quote!(::serde::Deserialize,));
    quote!(#ser #de)
}

/// The Rust type of a field, by [`Presence::wrapper`]: multipart has no `null`, and only
/// sent data needs to tell `null` from absent.
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
    match field.presence.wrapper(usage.serialize && !multipart) {
        Wrapper::Plain => ty,
        Wrapper::Nullable => {
            let nullable = RootItem::Nullable;
            quote!(#nullable<#ty>)
        }
        Wrapper::Option => quote!(::std::option::Option<#ty>),
    }
}

/// The serde attributes of a field of a struct that derives `Serialize` (deserializing
/// is emitted by [`deserialize_struct`], which needs none). Absent values stay absent;
/// in a struct that is sent, response-only (`readOnly`) data is never serialized.
pub(super) fn serialize_attrs(field: &Field, usage: Usage) -> TokenStream {
    let rename = (field.name != field.wire.as_str()).then(|| {
        let wire = &field.wire;
        quote!(rename = #wire,)
    });
    let skip = if field.read_only && usage.serialize {
        Some(quote!(skip_serializing))
    } else {
        match field.presence.wrapper(usage.serialize) {
            Wrapper::Nullable => {
                let is_absent = format!("{}::is_absent", RootItem::Nullable.path());
                Some(quote!(skip_serializing_if = #is_absent))
            }
            // A required nullable field is always sent (as `null` when `None`).
            Wrapper::Option if field.presence != Presence::RequiredNullable => Some(quote!(
                skip_serializing_if = "::std::option::Option::is_none"
            )),
            Wrapper::Option | Wrapper::Plain => None,
        }
    };
    if rename.is_none() && skip.is_none() {
        return quote!();
    }
    quote!(#[serde(#rename #skip)])
}

/// `Deserialize` for a struct, emitted rather than derived (its generic parameters and
/// local types start with `__`, which no generated type name does): one pass over the object's
/// keys matched against the wire names (borrowed, so nothing is allocated for them),
/// unknown keys skipped or collected into the additional-properties map. It is about
/// half the code serde's derive expands to (no field-identifier type, no sequence
/// form), which is most of what a crate of hundreds of models spends compiling.
fn deserialize_struct(model: &Model, s: &Struct) -> TokenStream {
    let name = &model.name;
    let expecting = format!("struct {name}");
    let (key, missing) = (RuntimeItem::Key, RuntimeItem::Missing);
    let usage = model.usage;
    // The fields are read into one tuple, so an early return (a `?`) drops one local
    // rather than one per field: a large share of the decoder's code otherwise.
    let plain = |f: &Field| f.presence.wrapper(usage.serialize) == Wrapper::Plain;
    let types = s.fields.iter().map(|f| {
        let ty = field_type(f, usage, false);
        if plain(f) {
            // A plain field is collected as an `Option` and required at the end.
            quote!(::std::option::Option<#ty>)
        } else {
            ty
        }
    });
    let starts = s.fields.iter().map(|f| {
        if plain(f) {
            quote!(::std::option::Option::None)
        } else {
            quote!(::std::default::Default::default())
        }
    });
    let arms = s.fields.iter().enumerate().map(|(i, f)| {
        let wire = &f.wire;
        let slot = syn::Index::from(i);
        if plain(f) {
            quote!(#wire => __fields.#slot = ::std::option::Option::Some(map.next_value()?),)
        } else {
            quote!(#wire => __fields.#slot = map.next_value()?,)
        }
    });
    let locals: Vec<_> = (0..s.fields.len())
        .map(|i| quote::format_ident!("field{}", i))
        .collect();
    let patterns = s.fields.iter().zip(&locals).map(|(f, local)| {
        if plain(f) {
            quote!(::std::option::Option::Some(#local))
        } else {
            quote!(#local)
        }
    });
    let required: Vec<_> = s
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| plain(f))
        .map(|(i, f)| {
            let (slot, wire) = (syn::Index::from(i), &f.wire);
            quote!((__fields.#slot.is_some(), #wire))
        })
        .collect();
    let otherwise = (!required.is_empty()).then(|| {
        quote!(else {
            return ::std::result::Result::Err(#missing(&[#(#required),*]));
        })
    });
    let inits = s.fields.iter().zip(&locals).map(|(f, local)| {
        let fname = &f.name;
        quote!(#fname: #local,)
    });
    let (additional_local, unknown, additional_init) = match &s.additional {
        Some(_) => {
            let field = &s.additional_name;
            (
                Some(quote!(let mut additional = ::std::collections::BTreeMap::new();)),
                quote!(_ => { additional.insert(key.into_string(), map.next_value()?); }),
                Some(quote!(#field: additional,)),
            )
        }
        None => (
            None,
            quote!(_ => { map.next_value::<::serde::de::IgnoredAny>()?; }),
            None,
        ),
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    // The tuple of fields is as complex as the struct is wide.
                    #[allow(clippy::type_complexity)]
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut map: __A) -> ::std::result::Result<#name, __A::Error> {
                        let mut __fields: (#(#types,)*) = (#(#starts,)*);
                        #additional_local
                        while let ::std::option::Option::Some(key) = map.next_key::<#key<'de>>()? {
                            match key.as_str() {
                                #(#arms)*
                                #unknown
                            }
                        }
                        let (#(#patterns,)*) = __fields #otherwise;
                        ::std::result::Result::Ok(#name {
                            #(#inits)*
                            #additional_init
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    }
}

fn structure(model: &Model, s: &Struct, multipart: bool, is_enum: IsEnum) -> Vec<TokenStream> {
    let name = &model.name;
    let usage = model.usage;
    // Multipart bodies are written part by part, not through serde.
    let derive_serialize = !multipart;
    let derive_serde = derive_serialize.then(|| quote!(::serde::Serialize,));
    let all_optional = s.fields.iter().all(|f| !f.presence.is_required());
    let default = all_optional.then(|| quote!(Default,));
    let fields = s.fields.iter().map(|f| {
        let docs = doc_attrs([f.doc.as_deref()]);
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        let attrs = if derive_serialize {
            serialize_attrs(f, usage)
        } else {
            quote!()
        };
        let fname = &f.name;
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
        let additional_name = &s.additional_name;
        let flatten = derive_serialize.then(|| quote!(#[serde(flatten)]));
        quote! {
            /// Properties beyond the named fields.
            #flatten
            pub #additional_name: ::std::collections::BTreeMap<::std::string::String, #ty>,
        }
    });
    let deserialize = usage.deserialize.then(|| deserialize_struct(model, s));
    let constructor = usage.serialize.then(|| constructor(model, s, multipart));
    let multipart_impl = multipart.then(|| multipart_parts(model, s, is_enum));
    let structure = quote! {
        #[derive(Debug, Clone, PartialEq, #default #derive_serde)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
    };
    [Some(structure), deserialize, constructor, multipart_impl]
        .into_iter()
        .flatten()
        .collect()
}

/// Whether a constructor argument or setter takes `impl Into<String>` for the field: a
/// plain string, so literals need no `.to_owned()`.
fn takes_into_string(field: &Field) -> bool {
    field.ty == Type::String && !field.boxed
}

/// `new(required fields...)` for request types, every optional field left unset, and a
/// chainable setter per optional field that is sent. Both are generic or `#[inline]`,
/// so they cost code only where a program calls them.
fn constructor(model: &Model, s: &Struct, multipart: bool) -> TokenStream {
    let name = &model.name;
    let required: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| f.presence.is_required())
        .collect();
    let args = required.iter().map(|f| {
        let fname = &f.name;
        if takes_into_string(f) && f.presence == Presence::Required {
            quote!(#fname: impl ::std::convert::Into<::std::string::String>)
        } else {
            let ty = field_type(f, model.usage, multipart);
            quote!(#fname: #ty)
        }
    });
    let inits = s.fields.iter().map(|f| {
        let fname = &f.name;
        match f.presence {
            Presence::Required if takes_into_string(f) => quote!(#fname: #fname.into()),
            _ if f.presence.is_required() => quote!(#fname),
            _ => quote!(#fname: ::std::default::Default::default()),
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        let additional_name = &s.additional_name;
        quote!(#additional_name: ::std::default::Default::default(),)
    });
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let new = (!required.is_empty()).then(|| {
        quote! {
            /// A value with the required fields set and every optional field unset.
            #many
            #[inline]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #additional }
            }
        }
    });
    let setters = setters(model, s, multipart);
    quote! {
        impl #name {
            #new
            #(#setters)*
        }
    }
}

/// One chainable setter per optional field a request sends, named as the field unless
/// a method of the type has the name or clippy takes it for an operator's
/// ([`setter_clashes`]). A nullable field's setter takes a value or
/// `Nullable::Null` (which sends `null`, clearing the field).
fn setters(model: &Model, s: &Struct, multipart: bool) -> Vec<TokenStream> {
    let mut names = UniqueNames::new();
    reserve_setter_names(&mut names, MODEL_METHODS);
    for f in &s.fields {
        names.reserve(f.name.bare());
    }
    let nullable = RootItem::Nullable;
    s.fields
        .iter()
        .filter(|f| !f.presence.is_required() && !f.read_only)
        .map(|f| {
            let fname = &f.name;
            let method = if setter_clashes(f.name.bare(), MODEL_METHODS) {
                names.claim(f.name.suffixed("_field"))
            } else {
                f.name.clone()
            };
            let mut inner = type_tokens(&f.ty, scope_of(multipart));
            if f.boxed {
                inner = quote!(::std::boxed::Box<#inner>);
            }
            let (arg, store) = match f.presence.wrapper(model.usage.serialize && !multipart) {
                Wrapper::Nullable => (
                    quote!(impl ::std::convert::Into<#nullable<#inner>>),
                    quote!(value.into()),
                ),
                _ if takes_into_string(f) => (
                    quote!(impl ::std::convert::Into<::std::string::String>),
                    quote!(::std::option::Option::Some(value.into())),
                ),
                _ => (inner, quote!(::std::option::Option::Some(value))),
            };
            // `field@`: a plain `Self::x` link goes to the method of the same name
            // (the setter itself, or `new`/`clone` for a renamed one), not the field.
            let doc = format!(" Sets [`{0}`](field@Self::{0}).", f.name);
            let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
            quote! {
                #[doc = #doc]
                #deprecated
                #[inline]
                pub fn #method(mut self, value: #arg) -> Self {
                    self.#fname = #store;
                    self
                }
            }
        })
        .collect()
}

fn scope_of(multipart: bool) -> Scope {
    if multipart {
        Scope::Multipart
    } else {
        Scope::Models
    }
}

/// `multipart/form-data` bodies: each field becomes a part; files keep their name and
/// content type, scalars and enums are text, arrays of those are one part per item
/// (OpenAPI 3.0), anything else is JSON text.
fn multipart_parts(model: &Model, s: &Struct, is_enum: IsEnum) -> TokenStream {
    let name = &model.name;
    let multipart = RuntimeItem::Multipart;
    let parts = s.fields.iter().map(|f| {
        let fname = &f.name;
        let add = add_part(&f.ty, &f.wire, is_enum);
        if f.presence == Presence::Required {
            quote! { { let value = &self.#fname; #add; } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = self.#fname.as_ref() { #add; } }
        }
    });
    quote! {
        impl #name {
            #[doc(hidden)]
            pub fn to_multipart(&self) -> #multipart {
                let mut form = #multipart::new();
                #(#parts)*
                form
            }
        }
    }
}

/// The statement adding `value` (a reference to a `ty`) to `form` as part `wire`.
fn add_part(ty: &Type, wire: &str, is_enum: IsEnum) -> TokenStream {
    match ty {
        Type::Bytes => quote!(form.file(#wire, value.clone())),
        Type::Bool | Type::I32 | Type::I64 | Type::F32 | Type::F64 | Type::String => {
            let param = RuntimeItem::ParamValue;
            quote!(form.text(#wire, #param::to_param(value).into_owned()))
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

fn string_enum(model: &Model, e: &StringEnum, parameter: bool) -> Vec<TokenStream> {
    let name = &model.name;
    let variants = e.variants.iter().map(|v| {
        let vname = &v.name;
        let wire = &v.wire;
        let doc = format!(" `{wire:?}`");
        quote!(#[doc = #doc] #vname,)
    });
    let as_str = e.variants.iter().map(|v| {
        let vname = &v.name;
        let wire = &v.wire;
        quote!(#name::#vname => #wire,)
    });
    let from_str = e.variants.iter().map(|v| {
        let vname = &v.name;
        let wire = &v.wire;
        quote!(#wire => #name::#vname,)
    });
    let ser = Some({
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        }
    });
    let de = model.usage.deserialize.then(|| {
        let read = RuntimeItem::ReadText;
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                    ::std::result::Result::Ok(Self::from(&*#read(deserializer)?))
                }
            }
        }
    });
    let enumeration = quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
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
    let param_value = RuntimeItem::ParamValue;
    let param = parameter.then(|| {
        quote! {
            impl #param_value for #name {
                fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                    ::std::borrow::Cow::Borrowed(self.as_str())
                }
            }
        }
    });
    [
        Some(enumeration),
        Some(as_str),
        Some(from),
        Some(display),
        param,
        ser,
        de,
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn union(model: &Model, u: &Union) -> Vec<TokenStream> {
    let name = &model.name;
    let usage = model.usage;
    // Responses may carry shapes this version does not know; keep them as JSON.
    let catch_all = usage.deserialize;
    let variants = u.variants.iter().map(|v| {
        let vname = &v.name;
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
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    #unknown
                }
            }]
        }
        Some(tag) => {
            let ser_arms = u.variants.iter().map(|v| {
                let vname = &v.name;
                quote!(#name::#vname(value) => ::serde::Serialize::serialize(value, serializer),)
            });
            let unknown_ser = catch_all.then(|| quote!(#name::Unknown(value) => ::serde::Serialize::serialize(value, serializer),));
            let ser = Some({
                quote! {
                    impl ::serde::Serialize for #name {
                        fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                            match self {
                                #(#ser_arms)*
                                #unknown_ser
                            }
                        }
                    }
                }
            });
            let from_json_value = RuntimeItem::FromJsonValue;
            let de_arms = u.variants.iter().map(|v| {
                let vname = &v.name;
                let tags = &v.tags;
                quote! {
                    ::std::option::Option::Some(#(#tags)|*) => #from_json_value(value).map(#name::#vname),
                }
            });
            let de = usage.deserialize.then(|| {
                quote! {
                    impl<'de> ::serde::Deserialize<'de> for #name {
                        fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
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
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    #unknown
                }
            };
            [Some(enumeration), ser, de].into_iter().flatten().collect()
        }
    }
}

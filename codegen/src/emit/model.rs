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
            let newtype = quote! {
                #[derive(Debug, Clone, PartialEq, #derives)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            };
            let trait_ = RuntimeItem::FromJson;
            let from_json = model.usage.deserialize.then(|| {
                from_json_impl(
                    name,
                    quote!(::std::result::Result::Ok(#name(#trait_::from_json(reader)?))),
                )
            });
            [Some(newtype), from_json].into_iter().flatten().collect()
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

/// `FromJson` for a struct: its wire names as a static table the runtime's one object
/// walker finds keys in, and one non-generic function that assigns the field it is
/// handed (see `runtime::json`). Unknown keys are skipped by the walker, or collected
/// into the additional-properties map. Its locals start with `__` or are the
/// generator's own names (`reader`, `field`, `key`, `additional`), never a field's.
fn from_json_struct(model: &Model, s: &Struct) -> TokenStream {
    let name = &model.name;
    let usage = model.usage;
    let (trait_, reader_ty, error, fields_ty, field_enum, missing) = (
        RuntimeItem::FromJson,
        RuntimeItem::JsonReader,
        RuntimeItem::JsonError,
        RuntimeItem::JsonFields,
        RuntimeItem::JsonField,
        RuntimeItem::JsonMissing,
    );
    // The fields are read into one tuple, so an early return (a `?`) drops one local
    // rather than one per field.
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
    // The runtime places the names in a hash table on first use: declaration order.
    let table: Vec<(&str, usize)> = s
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.wire.as_str(), i))
        .collect();
    let index = |i: usize| proc_macro2::Literal::usize_unsuffixed(i);
    let table = table.iter().map(|(wire, i)| {
        let i = index(*i);
        quote!((#wire, #i))
    });
    // Each arm is one call: the read, the `?` and the replaced value's drop are in the
    // runtime, once per field type.
    let arms = s.fields.iter().enumerate().map(|(i, f)| {
        let slot = syn::Index::from(i);
        let i = index(i);
        if plain(f) {
            quote!(#field_enum::Known(#i) => #trait_::read_required(reader, &mut __fields.#slot),)
        } else {
            quote!(#field_enum::Known(#i) => #trait_::read_into(reader, &mut __fields.#slot),)
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
    let others = s.additional.is_some();
    let (additional_local, other_arm, additional_init) = match &s.additional {
        Some(_) => {
            let field = &s.additional_name;
            (
                Some(quote!(let mut additional = ::std::collections::BTreeMap::new();)),
                Some(quote!(#field_enum::Other(key) => {
                    additional.insert(key.into_owned(), #trait_::from_json(reader)?);
                    ::std::result::Result::Ok(())
                })),
                Some(quote!(#field: additional,)),
            )
        }
        None => (None, None, None),
    };
    let each = if s.fields.is_empty() && !others {
        quote!(&mut |_, _| ::std::result::Result::Ok(()))
    } else {
        quote!(&mut |reader, field| match field {
            #(#arms)*
            #other_arm
            // Indexes outside the table and keys the model does not keep are never
            // handed over.
            _ => ::std::result::Result::Ok(()),
        })
    };
    let fields_local =
        (!s.fields.is_empty()).then(|| quote!(let mut __fields: (#(#types,)*) = (#(#starts,)*);));
    let assemble =
        (!s.fields.is_empty()).then(|| quote!(let (#(#patterns,)*) = __fields #otherwise;));
    quote! {
        impl #trait_ for #name {
            // The tuple of fields is as complex as the struct is wide.
            #[allow(clippy::type_complexity, clippy::single_match, clippy::match_single_binding)]
            fn from_json(reader: &mut #reader_ty<'_>) -> ::std::result::Result<Self, #error> {
                static FIELDS: #fields_ty = #fields_ty::new(&[#(#table),*], #others);
                #fields_local
                #additional_local
                reader.object(&FIELDS, #each)?;
                #assemble
                ::std::result::Result::Ok(#name {
                    #(#inits)*
                    #additional_init
                })
            }
        }
    }
}

/// `serde::Deserialize` for a model decoded by `FromJson`: through a JSON value (see
/// `runtime::deserialize_with_from_json`), compiled only where a program uses it.
fn deserialize_with_from_json(name: &RustIdent) -> TokenStream {
    let with = RuntimeItem::DeserializeWithFromJson;
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                #with(deserializer)
            }
        }
    }
}

/// `FromJson` for a type whose decoding is one expression of `reader`.
fn from_json_impl(name: &RustIdent, body: TokenStream) -> TokenStream {
    let (trait_, reader_ty, error) = (
        RuntimeItem::FromJson,
        RuntimeItem::JsonReader,
        RuntimeItem::JsonError,
    );
    quote! {
        impl #trait_ for #name {
            fn from_json(reader: &mut #reader_ty<'_>) -> ::std::result::Result<Self, #error> {
                #body
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
    let from_json = usage.deserialize.then(|| from_json_struct(model, s));
    let deserialize = usage.deserialize.then(|| deserialize_with_from_json(name));
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
    [
        Some(structure),
        from_json,
        deserialize,
        constructor,
        multipart_impl,
    ]
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
    let from_json = model.usage.deserialize.then(|| {
        from_json_impl(
            name,
            quote!(::std::result::Result::Ok(Self::from(&*reader.string()?))),
        )
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
        from_json,
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
    let from_text = RuntimeItem::JsonFromText;
    // The value is read once; each shape is tried on its text.
    let from_json = usage.deserialize.then(|| {
        let body = match &u.tag {
            None => {
                let tries = u.variants.iter().map(|v| {
                    let vname = &v.name;
                    quote! {
                        if let ::std::result::Result::Ok(value) = #from_text(reader, text) {
                            return ::std::result::Result::Ok(#name::#vname(value));
                        }
                    }
                });
                quote! {
                    let text = reader.value_text()?;
                    #(#tries)*
                    ::std::result::Result::Ok(#name::Unknown(#from_text(reader, text)?))
                }
            }
            Some(tag) => {
                let tag_of = RuntimeItem::JsonTagOf;
                let arms = u.variants.iter().map(|v| {
                    let vname = &v.name;
                    let tags = &v.tags;
                    quote! {
                        ::std::option::Option::Some(#(#tags)|*) => #name::#vname(#from_text(reader, text)?),
                    }
                });
                quote! {
                    let text = reader.value_text()?;
                    ::std::result::Result::Ok(match #tag_of(reader, text, #tag)?.as_deref() {
                        #(#arms)*
                        _ => #name::Unknown(#from_text(reader, text)?),
                    })
                }
            }
        };
        from_json_impl(name, body)
    });
    let deserialize = usage.deserialize.then(|| deserialize_with_from_json(name));
    let enumeration = match &u.tag {
        None => {
            let ser = quote!(::serde::Serialize);
            quote! {
                #[derive(Debug, Clone, PartialEq, #ser)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    #unknown
                }
            }
        }
        Some(_) => quote! {
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                #unknown
            }
        },
    };
    let ser = u.tag.is_some().then(|| {
        let ser_arms = u.variants.iter().map(|v| {
            let vname = &v.name;
            quote!(#name::#vname(value) => ::serde::Serialize::serialize(value, serializer),)
        });
        let unknown_ser = catch_all.then(|| quote!(#name::Unknown(value) => ::serde::Serialize::serialize(value, serializer),));
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
    [Some(enumeration), ser, from_json, deserialize]
        .into_iter()
        .flatten()
        .collect()
}

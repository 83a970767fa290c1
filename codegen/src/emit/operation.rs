//! Operations -> async methods on `Client` (one `impl` per tag module) and the structs
//! carrying their optional parameters.
//!
//! Every method is a thin typed wrapper: it fills a `runtime::Request` (path, query,
//! headers, body) and hands it to the one non-generic `Client::send`; only the final
//! deserialization is generic. That keeps the generated code small and fast to compile.
//! Everything the code names outside itself is fully qualified, so no spec name can
//! shadow it.

use super::docs::doc_attrs;
use super::{passed_by_reference, type_tokens, Scope};
use crate::ir::{
    BodyMedia, Location, Method, Module, Operation, Pagination, Param, ParamShape, ParamStyle,
    PathSegment, Response, Type,
};
use crate::naming::RustIdent;
use crate::runtime_api::{RootItem, RuntimeItem};
use proc_macro2::TokenStream;
use quote::quote;

pub fn module(module: &Module) -> TokenStream {
    let methods = module.operations.iter().map(|op| {
        let call = method(op);
        let stream = op.pagination.as_ref().map(|p| stream_method(op, p));
        quote!(#call #stream)
    });
    let requests = module.operations.iter().map(request_fn);
    let params = module.operations.iter().map(params_struct);
    let client = RootItem::Client;
    quote! {
        // Generated code may use the spec's deprecated items; callers still get the
        // warning where they use them.
        #![allow(deprecated)]

        impl #client {
            #(#methods)*
        }

        #(#requests)*

        #(#params)*
    }
}

/// The name of the function building an operation's request (free, in the tag
/// module, so it takes no name from `Client`).
fn request_fn_name(op: &Operation) -> RustIdent {
    op.fn_name.suffixed("_request")
}

fn http_method(method: Method) -> TokenStream {
    match method {
        Method::Get => quote!(::reqwest::Method::GET),
        Method::Put => quote!(::reqwest::Method::PUT),
        Method::Post => quote!(::reqwest::Method::POST),
        Method::Delete => quote!(::reqwest::Method::DELETE),
        Method::Options => quote!(::reqwest::Method::OPTIONS),
        Method::Head => quote!(::reqwest::Method::HEAD),
        Method::Patch => quote!(::reqwest::Method::PATCH),
        Method::Trace => quote!(::reqwest::Method::TRACE),
    }
}

/// The argument type of a required parameter, following [`passed_by_reference`].
fn arg_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(&str),
        Type::Vec(inner) => {
            let inner = type_tokens(inner, Scope::Operations);
            quote!(&[#inner])
        }
        other if passed_by_reference(other) => {
            let ty = type_tokens(other, Scope::Operations);
            quote!(&#ty)
        }
        other => type_tokens(other, Scope::Operations),
    }
}

/// A required parameter's argument as a reference: the borrowed ones already are one.
fn arg_ref(param: &Param) -> TokenStream {
    let name = &param.name;
    if passed_by_reference(&param.ty) {
        quote!(#name)
    } else {
        quote!(&#name)
    }
}

/// How an array is written, by its parameter's style.
fn array_style(style: ParamStyle) -> TokenStream {
    let array = RuntimeItem::ArrayStyle;
    match style {
        ParamStyle::Form { explode: true } | ParamStyle::DeepObject => quote!(#array::Repeat),
        ParamStyle::Form { explode: false } | ParamStyle::Simple => quote!(#array::Joined(',')),
        ParamStyle::Delimited(c) => quote!(#array::Joined(#c)),
    }
}

/// How an object is written, by its parameter's style.
fn object_style(style: ParamStyle) -> TokenStream {
    let object = RuntimeItem::ObjectStyle;
    match style {
        ParamStyle::Form { explode: true } => quote!(#object::Explode),
        ParamStyle::Form { explode: false } | ParamStyle::Simple => quote!(#object::Joined(',')),
        ParamStyle::Delimited(c) => quote!(#object::Joined(#c)),
        ParamStyle::DeepObject => quote!(#object::DeepObject),
    }
}

/// The statement that writes one parameter into the request; `value` is a reference
/// to a value of the parameter's type (or the value itself, for `Copy` scalars behind
/// a reference).
fn write_param(op: &Operation, param: &Param, value: TokenStream) -> TokenStream {
    let request = &op.locals.request;
    let wire = &param.wire;
    match (param.location, param.shape) {
        (Location::Query, ParamShape::Scalar) => quote!(#request.query(#wire, #value);),
        (Location::Query, ParamShape::Array) => {
            let style = array_style(param.style);
            quote!(#request.query_array(#wire, #value, #style);)
        }
        (_, ParamShape::Object) => {
            let style = object_style(param.style);
            quote!(#request.query_object(#wire, #value, #style)?;)
        }
        (Location::Header, ParamShape::Array) => quote!(#request.header_array(#wire, #value);),
        (Location::Header, _) => quote!(#request.header(#wire, #value);),
        (Location::Path, ParamShape::Array) => {
            quote!(#request.path_param_array(#wire, #value)?;)
        }
        (Location::Path, _) => quote!(#request.path_param(#wire, #value)?;),
    }
}

/// An argument of an operation's method.
pub(crate) struct Arg<'o> {
    pub(crate) name: &'o RustIdent,
    pub(crate) ty: TokenStream,
    /// Whether the request function needs it (an empty params struct it does not).
    used: bool,
}

/// The arguments of an operation's method: required parameters, then the optional
/// ones' struct, then the body.
pub(crate) fn args(op: &Operation) -> Vec<Arg<'_>> {
    let mut args: Vec<Arg> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| Arg {
            name: &p.name,
            ty: arg_type(&p.ty),
            used: true,
        })
        .collect();
    let params_ty = &op.params_struct;
    args.push(Arg {
        name: &op.locals.params,
        ty: quote!(&#params_ty),
        used: op.params.iter().any(|p| !p.required),
    });
    if let Some(body) = &op.body {
        let ty = match body.media {
            BodyMedia::Bytes => quote!(::bytes::Bytes),
            _ => {
                let ty = type_tokens(&body.ty, Scope::Operations);
                quote!(&#ty)
            }
        };
        let ty = if body.required {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        args.push(Arg {
            name: &op.locals.body,
            ty,
            used: true,
        });
    }
    args
}

/// The statement that writes the body, if there is one.
fn body_statement(op: &Operation) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let request = &op.locals.request;
    let name = &op.locals.body;
    let write = match body.media {
        BodyMedia::Json => quote!(#request.json(#name)?;),
        BodyMedia::Form => quote!(#request.form(#name)?;),
        BodyMedia::Multipart => quote!(#request.multipart(#name.to_multipart())?;),
        BodyMedia::Bytes => quote!(#request.bytes(#name);),
    };
    Some(if body.required {
        write
    } else {
        quote!(if let ::std::option::Option::Some(#name) = #name { #write })
    })
}

/// The statements writing the path, then the query and header parameters.
fn param_statements(op: &Operation) -> Vec<TokenStream> {
    let request = &op.locals.request;
    let path = op.segments.iter().map(|segment| match segment {
        PathSegment::Literal(lit) => quote!(#request.push_path(#lit);),
        PathSegment::Param(i) => write_param(op, &op.params[*i], arg_ref(&op.params[*i])),
    });
    let params = &op.locals.params;
    let value = &op.locals.value;
    let others = op
        .params
        .iter()
        .filter(|p| p.location != Location::Path)
        .map(|p| {
            let name = &p.name;
            match (p.required, p.shape) {
                (true, _) => write_param(op, p, arg_ref(p)),
                // An empty list is not sent: arrays are not wrapped in `Option`.
                (false, ParamShape::Array) => write_param(op, p, quote!(&#params.#name)),
                (false, _) => {
                    let write = write_param(op, p, quote!(#value));
                    quote! {
                        if let ::std::option::Option::Some(#value) = &#params.#name {
                            #write
                        }
                    }
                }
            }
        });
    path.chain(others).collect()
}

/// The result type of a call and the runtime function that decodes it from the answer.
pub(crate) fn result(op: &Operation) -> (TokenStream, TokenStream) {
    let response = RuntimeItem::Response;
    match &op.response {
        Response::JsonOrEmpty(ty) => {
            let ty = type_tokens(ty, Scope::Operations);
            (
                quote!(::std::option::Option<#ty>),
                quote!(#response::json_or_empty),
            )
        }
        Response::Json(ty) => (type_tokens(ty, Scope::Operations), quote!(#response::json)),
        Response::Empty => (quote!(()), quote!(#response::empty)),
        Response::Text => (quote!(::std::string::String), quote!(#response::text)),
        Response::Bytes => (quote!(::bytes::Bytes), quote!(#response::bytes)),
    }
}

/// The method on `Client`: it builds the request and returns the call, which sends it
/// when awaited.
fn method(op: &Operation) -> TokenStream {
    let fn_name = &op.fn_name;
    let id = &op.id;
    let location_doc = format!(
        " `{} {}` (operation `{}`)",
        op.method.as_str(),
        op.path,
        op.id
    );
    let docs = doc_attrs([op.summary.as_deref(), op.description.as_deref()]);
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    // rustdoc rejects an alias equal to the item's own name (`verify` for `verify`).
    let alias = (op.fn_name != id.as_str()).then(|| quote!(#[doc(alias = #id)]));
    let args = args(op);
    let many_args = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // An argument the request does not need (an empty params struct) is `_`.
    let decls = args.iter().map(|Arg { name, ty, used }| {
        if *used {
            quote!(#name: #ty)
        } else {
            quote!(_: #ty)
        }
    });
    let names = args.iter().filter(|a| a.used).map(|a| a.name);
    let request_fn = request_fn_name(op);
    let (ret, decode) = result(op);
    let call = RuntimeItem::Call;
    quote! {
        #docs
        #separator
        #[doc = #location_doc]
        #alias
        #deprecated
        #many_args
        pub fn #fn_name(&self, #(#decls),*) -> #call<'_, #ret> {
            #call::new(self, #request_fn(#(#names),*), #decode)
        }
    }
}

/// The function that fills an operation's request from its arguments.
fn request_fn(op: &Operation) -> TokenStream {
    let args: Vec<Arg> = args(op).into_iter().filter(|a| a.used).collect();
    let many_args = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let decls = args.iter().map(|Arg { name, ty, .. }| quote!(#name: #ty));
    let name = request_fn_name(op);
    let id = &op.id;
    let path = &op.path;
    let http = http_method(op.method);
    let statements = param_statements(op);
    let body = body_statement(op);
    let request = &op.locals.request;
    let binding = if statements.is_empty() && body.is_none() {
        quote!(let #request)
    } else {
        quote!(let mut #request)
    };
    let (request_ty, error) = (RuntimeItem::Request, RootItem::Error);
    quote! {
        #many_args
        fn #name(#(#decls),*) -> ::std::result::Result<#request_ty, #error> {
            #binding = #request_ty::new(#id, #http, #path);
            #(#statements)*
            #body
            ::std::result::Result::Ok(#request)
        }
    }
}

/// `<op>_stream`: every item of a paginated operation, as a lazily paged `Stream`. Each
/// page is a call that owns a clone of the client, built by the operation's request
/// function from arguments the stream owns.
fn stream_method(op: &Operation, pagination: &Pagination) -> TokenStream {
    let stream_fn = &pagination.stream_fn;
    let item = type_tokens(&pagination.item, Scope::Operations);
    let params_ty = &pagination.params;
    let page_ty = type_tokens(&pagination.page, Scope::Operations);
    let locals = &op.locals;
    let (client, params, page, page_size, page_offset) = (
        &locals.client,
        &locals.params,
        &locals.page,
        &locals.page_size,
        &locals.page_offset,
    );
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let name = &p.name;
        let ty = arg_type(&p.ty);
        quote!(#name: #ty)
    });
    // Required arguments are owned by the stream, then lent to each page's request.
    let owned = required.iter().map(|p| {
        let name = &p.name;
        match &p.ty {
            Type::String => quote!(let #name = #name.to_owned();),
            Type::Vec(_) => quote!(let #name = #name.to_vec();),
            ty if passed_by_reference(ty) => quote!(let #name = #name.clone();),
            _ => quote!(),
        }
    });
    let call_args = required.iter().map(|p| {
        let name = &p.name;
        if passed_by_reference(&p.ty) {
            quote!(&#name)
        } else {
            quote!(#name)
        }
    });
    let (limit_field, limit_ty) = &pagination.limit;
    let (offset_field, offset_ty) = &pagination.offset;
    let start_limit = to_i64(limit_ty, quote!(#params.#limit_field));
    let start_offset = to_i64(offset_ty, quote!(#params.#offset_field));
    let set_limit = from_i64(limit_ty, quote!(#page_size));
    let set_offset = from_i64(offset_ty, quote!(#page_offset));
    let (items, total) = page_contents(pagination, page);
    let call = &op.fn_name;
    let doc = format!(
        " Every item of [`Client::{call}`](crate::Client::{call}), fetched page by page as the stream is polled."
    );
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let request_fn = request_fn_name(op);
    let (paginated, page_struct, call_ty, response) = (
        RootItem::Paginated,
        RuntimeItem::Page,
        RuntimeItem::Call,
        RuntimeItem::Response,
    );
    quote! {
        #[doc = #doc]
        ///
        /// `params.limit` is the page size (default 100, at most 500) and `params.offset`
        /// where to start. A failed page is yielded as an `Err` item and ends the stream.
        #deprecated
        pub fn #stream_fn(&self, #(#args,)* #params: &#params_ty) -> #paginated<#item> {
            let #client = self.clone();
            let #params = #params.clone();
            #(#owned)*
            #paginated::new(#start_limit, #start_offset, move |#page_size, #page_offset| {
                let mut #params = #params.clone();
                #params.#limit_field = ::std::option::Option::Some(#set_limit);
                #params.#offset_field = ::std::option::Option::Some(#set_offset);
                #call_ty::owned(
                    #client.clone(),
                    #request_fn(#(#call_args,)* &#params),
                    |#page: #response| {
                        let #page: #page_ty = #page.json()?;
                        ::std::result::Result::Ok(#page_struct { items: #items, total_count: #total })
                    },
                )
            })
        }
    }
}

/// An optional `i32` or `i64` field as an `Option<i64>`.
fn to_i64(ty: &Type, value: TokenStream) -> TokenStream {
    match ty {
        Type::I32 => quote!(#value.map(i64::from)),
        _ => value,
    }
}

/// An `i64` as the field's type (`i32` saturates).
fn from_i64(ty: &Type, value: TokenStream) -> TokenStream {
    match ty {
        Type::I32 => quote!(i32::try_from(#value).unwrap_or(i32::MAX)),
        _ => value,
    }
}

/// The items of one fetched page and its total count, as expressions over `page`.
fn page_contents(
    pagination: &Pagination,
    page: &crate::naming::RustIdent,
) -> (TokenStream, TokenStream) {
    let Some(data) = &pagination.data_field else {
        return (quote!(#page), quote!(::std::option::Option::None));
    };
    let total = match &pagination.total_field {
        Some((name, ty, optional)) => match (ty, optional) {
            (Type::I32, true) => quote!(#page.#name.map(i64::from)),
            (Type::I32, false) => quote!(::std::option::Option::Some(i64::from(#page.#name))),
            (_, true) => quote!(#page.#name),
            (_, false) => quote!(::std::option::Option::Some(#page.#name)),
        },
        None => quote!(::std::option::Option::None),
    };
    (quote!(#page.#data), total)
}

/// The struct of an operation's optional parameters. It is `#[non_exhaustive]` (and
/// exists even when empty) so Clerk can add optional parameters without breaking
/// callers: build it with `Default` and set fields.
fn params_struct(op: &Operation) -> TokenStream {
    let name = &op.params_struct;
    let doc = format!(
        " Optional parameters of [`Client::{0}`](crate::Client::{0}).",
        op.fn_name
    );
    let fields = op.params.iter().filter(|p| !p.required).map(|p| {
        let docs = doc_attrs([p.doc.as_deref()]);
        let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
        let fname = &p.name;
        let ty = type_tokens(&p.ty, Scope::Operations);
        let ty = if p.shape == ParamShape::Array {
            // An empty list is not sent.
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        quote! {
            #docs
            #deprecated
            pub #fname: #ty,
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    }
}

//! Operations -> async methods on `Client` (one `impl` per tag module) and the structs
//! carrying their optional parameters.
//!
//! Every method is a thin typed wrapper: it fills a `runtime::Request` (path, query,
//! headers, body) and hands it to the one non-generic `Client::send`; only the final
//! deserialization is generic. That keeps the generated code small and fast to compile.

use super::docs::doc_attrs;
use super::{ident, type_tokens, Scope};
use crate::ir::{
    ArrayStyle, BodyMedia, Location, Method, Module, Operation, Pagination, Param, PathSegment,
    Response, Type,
};
use proc_macro2::TokenStream;
use quote::quote;

pub fn module(module: &Module) -> TokenStream {
    let methods = module.operations.iter().map(|op| {
        let call = method(op);
        let stream = op.pagination.as_ref().map(|p| stream_method(op, p));
        quote!(#call #stream)
    });
    let params = module.operations.iter().filter_map(params_struct);
    quote! {
        // Generated code may use the spec's deprecated items; callers still get the
        // warning where they use them.
        #![allow(deprecated)]

        use crate::runtime::Request;
        use crate::{Client, Error};

        impl Client {
            #(#methods)*
        }

        #(#params)*
    }
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

fn is_vec(ty: &Type) -> bool {
    matches!(ty, Type::Vec(_))
}

/// The argument type of a required parameter: strings borrowed, arrays as slices.
fn arg_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(&str),
        Type::Vec(inner) => {
            let inner = type_tokens(inner, Scope::Operations);
            quote!(&[#inner])
        }
        Type::Named(_) => {
            let ty = type_tokens(ty, Scope::Operations);
            quote!(&#ty)
        }
        other => type_tokens(other, Scope::Operations),
    }
}

/// Strings, arrays and models are taken by reference (`&str`, `&[T]`, `&T`, see
/// [`arg_type`]); scalars by value.
fn passed_by_reference(ty: &Type) -> bool {
    matches!(ty, Type::String | Type::Vec(_) | Type::Named(_))
}

/// A required argument as a reference: the borrowed ones already are one.
fn required_ref(param: &Param) -> TokenStream {
    let name = ident(&param.name);
    if passed_by_reference(&param.ty) {
        quote!(#name)
    } else {
        quote!(&#name)
    }
}

fn style_tokens(style: ArrayStyle) -> TokenStream {
    match style {
        ArrayStyle::Repeat => quote!(crate::runtime::ArrayStyle::Repeat),
        ArrayStyle::Joined(c) => quote!(crate::runtime::ArrayStyle::Joined(#c)),
    }
}

/// The statement that writes one parameter into the request; `value` is an expression
/// of the parameter's type (a reference for non-`Copy` types).
fn write_param(param: &Param, value: TokenStream) -> TokenStream {
    let wire = &param.wire;
    match (param.location, is_vec(&param.ty)) {
        (Location::Query, true) => {
            let style = style_tokens(param.style);
            quote!(request.query_array(#wire, #value, #style);)
        }
        (Location::Query, false) => quote!(request.query(#wire, #value);),
        (Location::Header, true) => quote!(request.header_array(#wire, #value);),
        (Location::Header, false) => quote!(request.header(#wire, #value);),
        (Location::Path, true) => quote!(request.path_param_array(#wire, #value)?;),
        (Location::Path, false) => quote!(request.path_param(#wire, #value)?;),
    }
}

fn method(op: &Operation) -> TokenStream {
    let fn_name = ident(&op.fn_name);
    let id = &op.id;
    let path = &op.path;
    let http = http_method(op.method);
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
    let alias = (op.fn_name.trim_start_matches("r#") != op.id).then(|| quote!(#[doc(alias = #id)]));

    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let mut args: Vec<TokenStream> = required
        .iter()
        .map(|p| {
            let name = ident(&p.name);
            let ty = arg_type(&p.ty);
            quote!(#name: #ty)
        })
        .collect();
    if let Some(params) = &op.params_struct {
        let params = ident(params);
        args.push(quote!(params: &#params));
    }
    let mut body_stmt = quote!();
    if let Some(body) = &op.body {
        let ty = match body.media {
            BodyMedia::Bytes => quote!(::bytes::Bytes),
            _ => {
                let ty = type_tokens(&body.ty, Scope::Operations);
                quote!(&#ty)
            }
        };
        let write = match body.media {
            BodyMedia::Json => quote!(request.json(body)?;),
            BodyMedia::Form => quote!(request.form(body)?;),
            BodyMedia::Multipart => quote!(request.multipart(body.to_multipart());),
            BodyMedia::Bytes => quote!(request.bytes(body);),
        };
        if body.required {
            args.push(quote!(body: #ty));
            body_stmt = write;
        } else {
            args.push(quote!(body: ::std::option::Option<#ty>));
            body_stmt = quote!(if let ::std::option::Option::Some(body) = body { #write });
        }
    }

    let path_stmts = op.segments.iter().map(|segment| match segment {
        PathSegment::Literal(lit) => quote!(request.push_path(#lit);),
        PathSegment::Param(i) => write_param(&op.params[*i], required_ref(&op.params[*i])),
    });
    let param_stmts = op
        .params
        .iter()
        .filter(|p| p.location != Location::Path)
        .map(|p| {
            let name = ident(&p.name);
            match (p.required, is_vec(&p.ty)) {
                (true, true) => write_param(p, quote!(#name)),
                (true, false) if matches!(p.ty, Type::String | Type::Named(_)) => {
                    write_param(p, quote!(#name))
                }
                (true, false) => write_param(p, quote!(&#name)),
                (false, true) => write_param(p, quote!(&params.#name)),
                (false, false) => {
                    let write = write_param(p, quote!(value));
                    quote! {
                        if let ::std::option::Option::Some(value) = &params.#name {
                            #write
                        }
                    }
                }
            }
        });

    let (ret, finish) = match &op.response {
        Response::JsonOrEmpty(ty) => {
            let ty = type_tokens(ty, Scope::Operations);
            (
                quote!(::std::option::Option<#ty>),
                quote!(self.send(request).await?.json_or_empty()),
            )
        }
        Response::Json(ty) => {
            let ty = type_tokens(ty, Scope::Operations);
            (ty, quote!(self.send(request).await?.json()))
        }
        Response::Empty => (quote!(()), quote!(self.send(request).await.map(drop))),
        Response::Text => (
            quote!(::std::string::String),
            quote!(self.send(request).await?.text()),
        ),
        Response::Bytes => (
            quote!(::bytes::Bytes),
            quote!(Ok(self.send(request).await?.into_bytes())),
        ),
    };
    let many_args = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let mut_request = if op.segments.is_empty() && op.params.is_empty() && op.body.is_none() {
        quote!(let request)
    } else {
        quote!(let mut request)
    };
    quote! {
        #docs
        #separator
        #[doc = #location_doc]
        #alias
        #deprecated
        #many_args
        pub async fn #fn_name(&self, #(#args),*) -> ::std::result::Result<#ret, Error> {
            #mut_request = Request::new(#id, #http, #path);
            #(#path_stmts)*
            #(#param_stmts)*
            #body_stmt
            #finish
        }
    }
}

/// `<op>_stream`: every item of a paginated operation, as a lazily paged `Stream`.
fn stream_method(op: &Operation, pagination: &Pagination) -> TokenStream {
    let call = ident(&op.fn_name);
    let stream_fn = ident(&pagination.stream_fn);
    let item = type_tokens(&pagination.item, Scope::Operations);
    let params_ty = ident(
        op.params_struct
            .as_deref()
            .expect("paginated operations have optional params"),
    );
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let name = ident(&p.name);
        let ty = arg_type(&p.ty);
        quote!(#name: #ty)
    });
    // Required arguments are owned by the stream, then lent to each page's call.
    let owned = required.iter().map(|p| {
        let name = ident(&p.name);
        match &p.ty {
            Type::String => quote!(let #name = #name.to_owned();),
            Type::Vec(_) => quote!(let #name = #name.to_vec();),
            Type::Named(_) => quote!(let #name = #name.clone();),
            _ => quote!(),
        }
    });
    let per_page_clone = required
        .iter()
        .filter(|p| passed_by_reference(&p.ty))
        .map(|p| {
            let name = ident(&p.name);
            quote!(let #name = #name.clone();)
        });
    let call_args = required.iter().map(|p| {
        let name = ident(&p.name);
        if passed_by_reference(&p.ty) {
            quote!(&#name)
        } else {
            quote!(#name)
        }
    });
    let (limit_field, limit_ty) = &pagination.limit;
    let (offset_field, offset_ty) = &pagination.offset;
    let limit_field = ident(limit_field);
    let offset_field = ident(offset_field);
    let to_i64 = |ty: &Type, value: TokenStream| match ty {
        Type::I32 => quote!(#value.map(i64::from)),
        _ => value,
    };
    let from_i64 = |ty: &Type, value: TokenStream| match ty {
        Type::I32 => quote!(i32::try_from(#value).unwrap_or(i32::MAX)),
        _ => value,
    };
    let start_limit = to_i64(limit_ty, quote!(params.#limit_field));
    let start_offset = to_i64(offset_ty, quote!(params.#offset_field));
    let set_limit = from_i64(limit_ty, quote!(page_size));
    let set_offset = from_i64(offset_ty, quote!(page_offset));
    let (items, total) = match (&pagination.data_field, &pagination.total_field) {
        (Some(data), total) => {
            let data = ident(data);
            let total = match total {
                Some((name, ty, optional)) => {
                    let name = ident(name);
                    match (ty, optional) {
                        (Type::I32, true) => quote!(page.#name.map(i64::from)),
                        (Type::I32, false) => {
                            quote!(::std::option::Option::Some(i64::from(page.#name)))
                        }
                        (_, true) => quote!(page.#name),
                        (_, false) => quote!(::std::option::Option::Some(page.#name)),
                    }
                }
                None => quote!(::std::option::Option::None),
            };
            (quote!(page.#data), total)
        }
        (None, _) => (quote!(page), quote!(::std::option::Option::None)),
    };
    let doc = format!(
        " Every item of [`Client::{}`], fetched page by page as the stream is polled.",
        op.fn_name.trim_start_matches("r#")
    );
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #[doc = #doc]
        ///
        /// `params.limit` is the page size (default 100, at most 500) and `params.offset`
        /// where to start. A failed page is yielded as an `Err` item and ends the stream.
        #deprecated
        pub fn #stream_fn(&self, #(#args,)* params: &#params_ty) -> crate::Paginated<#item> {
            let client = self.clone();
            let params = params.clone();
            #(#owned)*
            crate::Paginated::new(#start_limit, #start_offset, move |page_size, page_offset| {
                let client = client.clone();
                #(#per_page_clone)*
                let mut params = params.clone();
                params.#limit_field = ::std::option::Option::Some(#set_limit);
                params.#offset_field = ::std::option::Option::Some(#set_offset);
                async move {
                    let page = client.#call(#(#call_args,)* &params).await?;
                    ::std::result::Result::Ok(crate::runtime::Page { items: #items, total_count: #total })
                }
            })
        }
    }
}

fn params_struct(op: &Operation) -> Option<TokenStream> {
    let name = ident(op.params_struct.as_ref()?);
    let doc = format!(
        " Optional parameters of [`Client::{}`].",
        op.fn_name.trim_start_matches("r#")
    );
    let fields = op.params.iter().filter(|p| !p.required).map(|p| {
        let docs = doc_attrs([p.doc.as_deref()]);
        let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
        let fname = ident(&p.name);
        let ty = type_tokens(&p.ty, Scope::Operations);
        let ty = if is_vec(&p.ty) {
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
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    })
}

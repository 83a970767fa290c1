//! Operations -> methods on `Client` (one `impl` per tag module) returning one request
//! builder per operation, and the structs carrying their optional parameters.
//!
//! A builder holds the required arguments, the optional parameters its setters fill and
//! the per-call options; awaiting it (`IntoFuture`) fills a `runtime::Request` (path,
//! query, headers, body) and hands it to the one non-generic sending future, `Call`;
//! only the final deserialization is generic. Setters and option methods are
//! `#[inline]`, so those a program does not call cost it no code.
//! Everything the code names outside itself is fully qualified, so no spec name can
//! shadow it.

use super::docs::doc_attrs;
use super::{passed_by_reference, type_tokens, Scope};
use crate::ir::{
    BodyMedia, CallArg, Location, Method, Module, Operation, Pagination, Param, ParamShape,
    ParamStyle, PathSegment, Response, Setter, Type, Wrapper,
};
use crate::naming::RustIdent;
use crate::runtime_api::{RootItem, RuntimeItem, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use proc_macro2::TokenStream;
use quote::quote;

pub fn module(module: &Module) -> TokenStream {
    let methods = module.operations.iter().map(method);
    let builders = module.operations.iter().map(builder);
    let requests = module.operations.iter().map(request_fn);
    let params = module.operations.iter().filter_map(params_struct);
    let client = RootItem::Client;
    quote! {
        // Generated code may use the spec's deprecated items; callers still get the
        // warning where they use them.
        #![allow(deprecated)]

        impl #client {
            #(#methods)*
        }

        #(#builders)*

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

/// The argument type of a required parameter, following [`passed_by_reference`]; its
/// references carry `lifetime` when given.
fn arg_type(ty: &Type, lifetime: Option<&TokenStream>) -> TokenStream {
    match ty {
        Type::String => quote!(&#lifetime str),
        Type::Vec(inner) => {
            let inner = type_tokens(inner, Scope::Operations);
            quote!(&#lifetime [#inner])
        }
        other if passed_by_reference(other) => {
            let ty = type_tokens(other, Scope::Operations);
            quote!(&#lifetime #ty)
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

/// An argument of an operation's `Client` method (or of its request function).
pub(crate) struct Arg<'o> {
    pub(crate) name: &'o RustIdent,
    /// The type as the request function takes it (references without a lifetime).
    pub(crate) ty: TokenStream,
    /// The type as the method takes it and the builder holds it (`&'a str`).
    pub(crate) held: TokenStream,
}

/// The required body's argument type as a request function takes it.
fn body_type(op: &Operation, lifetime: Option<&TokenStream>) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    Some(match body.media {
        BodyMedia::Bytes => quote!(::bytes::Bytes),
        _ => {
            let ty = type_tokens(&body.ty, Scope::Operations);
            quote!(&#lifetime #ty)
        }
    })
}

/// The arguments of an operation's `Client` method, in [`ir::CallShape::args`] order.
pub(crate) fn args(op: &Operation) -> Vec<Arg<'_>> {
    let lifetime = quote!('a);
    op.call
        .args
        .iter()
        .map(|arg| match arg {
            CallArg::Param(i) => {
                let p = &op.params[*i];
                Arg {
                    name: &p.name,
                    ty: arg_type(&p.ty, None),
                    held: arg_type(&p.ty, Some(&lifetime)),
                }
            }
            CallArg::Body => Arg {
                name: &op.locals.body,
                ty: body_type(op, None).expect("a body argument has a body"),
                held: body_type(op, Some(&lifetime)).expect("a body argument has a body"),
            },
        })
        .collect()
}

/// The request function's arguments: the method's, then the params struct, then an
/// optional body.
fn request_args(op: &Operation) -> Vec<(&RustIdent, TokenStream)> {
    let mut args: Vec<(&RustIdent, TokenStream)> =
        args(op).into_iter().map(|a| (a.name, a.ty)).collect();
    if let Some(params) = &op.call.params_struct {
        args.push((&op.locals.params, quote!(&#params)));
    }
    if op.has_body_setter() {
        let ty = body_type(op, None).expect("a body setter has a body");
        args.push((&op.locals.body, quote!(::std::option::Option<#ty>)));
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
            match (p.required, p.field_wrapper()) {
                (true, _) => write_param(op, p, arg_ref(p)),
                // An empty list is not sent: arrays are not wrapped in `Option`.
                (false, Wrapper::Plain | Wrapper::Nullable) => {
                    write_param(op, p, quote!(&#params.#name))
                }
                (false, Wrapper::Option) => {
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
                quote!(#response::model_or_empty),
            )
        }
        Response::Json(ty) => (type_tokens(ty, Scope::Operations), quote!(#response::model)),
        Response::Empty => (quote!(()), quote!(#response::empty)),
        Response::Text => (quote!(::std::string::String), quote!(#response::text)),
        Response::Bytes => (quote!(::bytes::Bytes), quote!(#response::bytes)),
    }
}

/// The method on `Client`: it takes the required arguments and returns the builder.
/// It only moves its arguments into the builder, so it is `#[inline]`: no code in the
/// crate's own build.
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
    let builder_doc = format!(
        " Returns a [`{}`] request: set its optional parts, then `.await` it.",
        op.call.builder
    );
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    // rustdoc rejects an alias equal to the item's own name (`verify` for `verify`).
    let alias = (op.fn_name != id.as_str()).then(|| quote!(#[doc(alias = #id)]));
    let args = args(op);
    let many_args = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let decls = args
        .iter()
        .map(|Arg { name, held, .. }| quote!(#name: #held));
    let builder = &op.call.builder;
    let base = &op.locals.base;
    let request_base = RuntimeItem::RequestBase;
    let fields = args.iter().map(|a| a.name);
    let params = op.call.params_struct.as_ref().map(|_| {
        let name = &op.locals.params;
        quote!(#name: ::std::default::Default::default(),)
    });
    let body = op.has_body_setter().then(|| {
        let name = &op.locals.body;
        quote!(#name: ::std::option::Option::None,)
    });
    // Only a method with borrowed arguments names its lifetime.
    let (generics, receiver, ret) = if args.is_empty() {
        (quote!(), quote!(&self), quote!(#builder<'_>))
    } else {
        (quote!(<'a>), quote!(&'a self), quote!(#builder<'a>))
    };
    quote! {
        #docs
        #separator
        #[doc = #location_doc]
        #[doc = ""]
        #[doc = #builder_doc]
        #alias
        #deprecated
        #many_args
        #[inline]
        pub fn #fn_name #generics(#receiver, #(#decls),*) -> #ret {
            #builder {
                #base: #request_base::new(self),
                #(#fields,)*
                #params
                #body
            }
        }
    }
}

/// The request builder of an operation: its struct, setters, per-call options, stream,
/// and `IntoFuture` into the shared `Call`.
fn builder(op: &Operation) -> TokenStream {
    let builder = &op.call.builder;
    let fn_name = &op.fn_name;
    let doc = format!(
        " A request to [`Client::{fn_name}`](crate::Client::{fn_name}), sent when awaited."
    );
    let base = &op.locals.base;
    let request_base = RuntimeItem::RequestBase;
    let held = args(op)
        .into_iter()
        .map(|Arg { name, held, .. }| quote!(#name: #held,));
    let params_field = op.call.params_struct.as_ref().map(|params_ty| {
        let params = &op.locals.params;
        quote!(#params: #params_ty,)
    });
    let body_field = op.has_body_setter().then(|| {
        let body = &op.locals.body;
        let ty = body_type(op, Some(&quote!('a))).expect("a body setter has a body");
        quote!(#body: ::std::option::Option<#ty>,)
    });
    let setters = op.call.setters.iter().map(|s| setter(op, s));
    let params_setter = op.call.params_struct.as_ref().map(|params_ty| {
        let params = &op.locals.params;
        quote! {
            /// Sets every optional parameter at once, replacing those set before.
            #[inline]
            pub fn params(mut self, #params: #params_ty) -> Self {
                self.#params = #params;
                self
            }
        }
    });
    let body_setter = op.has_body_setter().then(|| {
        let body = &op.locals.body;
        let ty = body_type(op, Some(&quote!('a))).expect("a body setter has a body");
        // The method is always `body`; only the field and argument take the local's
        // name, which a parameter named `body` pushes to `body_2`.
        quote! {
            /// The request body (optional for this operation).
            #[inline]
            pub fn body(mut self, #body: #ty) -> Self {
                self.#body = ::std::option::Option::Some(#body);
                self
            }
        }
    });
    let options = call_options(base);
    let stream = op.pagination.as_ref().map(|p| stream_method(op, p));
    let (ret, decode) = result(op);
    let (call, error) = (RuntimeItem::Call, RootItem::Error);
    let request = &op.locals.request;
    let request_fn = request_fn_name(op);
    // The builder holds every argument as the request function takes it (borrowed
    // ones already borrowed), except the params struct, which is lent.
    let request_args = request_args(op).into_iter().map(|(name, _)| {
        if name == &op.locals.params {
            quote!(&self.#name)
        } else {
            quote!(self.#name)
        }
    });
    quote! {
        #[doc = #doc]
        ///
        /// Set optional parts with its methods, then `.await` it (it implements
        /// `IntoFuture`).
        #[must_use = "a request does nothing unless it is awaited"]
        #[derive(Debug)]
        pub struct #builder<'a> {
            #base: #request_base<'a>,
            #(#held)*
            #params_field
            #body_field
        }

        impl<'a> #builder<'a> {
            #(#setters)*
            #params_setter
            #body_setter
            #options
            #stream
        }

        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = ::std::result::Result<#ret, #error>;
            type IntoFuture = #call<'a, #ret>;

            fn into_future(self) -> Self::IntoFuture {
                let #request = #request_fn(#(#request_args),*);
                self.#base.call(#request, #decode)
            }
        }
    }
}

/// The setter of one optional parameter: strings take anything `Into<String>`, arrays
/// any iterable of their items (of strings: of anything `Into<String>`), others their
/// type. Setters are `#[inline]`: one a program does not call costs no code.
fn setter(op: &Operation, setter: &Setter) -> TokenStream {
    let p = &op.params[setter.param];
    let method = &setter.method;
    let field = &p.name;
    let params = &op.locals.params;
    let value = &op.locals.value;
    let docs = doc_attrs([p.doc.as_deref()]);
    let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
    let (arg, store) = match (&p.ty, p.shape) {
        (Type::Vec(inner), ParamShape::Array) => match &**inner {
            Type::String => (
                quote!(
                    impl ::std::iter::IntoIterator<
                        Item = impl ::std::convert::Into<::std::string::String>,
                    >
                ),
                quote!(#value.into_iter().map(::std::convert::Into::into).collect()),
            ),
            inner => {
                let inner = type_tokens(inner, Scope::Operations);
                (
                    quote!(impl ::std::iter::IntoIterator<Item = #inner>),
                    quote!(#value.into_iter().collect()),
                )
            }
        },
        (Type::String, _) => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(::std::option::Option::Some(#value.into())),
        ),
        (ty, _) => (
            type_tokens(ty, Scope::Operations),
            quote!(::std::option::Option::Some(#value)),
        ),
    };
    quote! {
        #docs
        #deprecated
        #[inline]
        pub fn #method(mut self, #value: #arg) -> Self {
            self.#params.#field = #store;
            self
        }
    }
}

/// The per-call options every builder has, forwarded to its `RequestBase`.
fn call_options(base: &RustIdent) -> TokenStream {
    let (retry, options) = (RootItem::RetryPolicy, RootItem::RequestOptions);
    quote! {
        /// Retries this call as `policy` says, instead of as the client does.
        #[inline]
        pub fn retry(mut self, policy: #retry) -> Self {
            self.#base.retry(policy);
            self
        }
        /// Bounds each attempt of this call (see [`RequestOptions::timeout`](crate::RequestOptions::timeout)).
        #[inline]
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.#base.timeout(timeout);
            self
        }
        /// Bounds this call in all, retries and waits included (see
        /// [`RequestOptions::deadline`](crate::RequestOptions::deadline)).
        #[inline]
        pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
            self.#base.deadline(deadline);
            self
        }
        /// An extra header on this call (see [`RequestOptions::header`](crate::RequestOptions::header)).
        #[inline]
        pub fn header(mut self, name: &str, value: &str) -> Self {
            self.#base.header(name, value);
            self
        }
        /// Every per-call option at once, replacing those set before.
        #[inline]
        pub fn options(mut self, options: #options) -> Self {
            self.#base.options(options);
            self
        }
    }
}

/// The function that fills an operation's request from its arguments.
fn request_fn(op: &Operation) -> TokenStream {
    let args = request_args(op);
    let many_args = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let decls = args.iter().map(|(name, ty)| quote!(#name: #ty));
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

/// `.stream()`: every item of a paginated operation, as a lazily paged `Stream`. Each
/// page is a call that owns a clone of the client, built by the operation's request
/// function from arguments the stream owns.
fn stream_method(op: &Operation, pagination: &Pagination) -> TokenStream {
    let item = type_tokens(&pagination.item, Scope::Operations);
    let page_ty = type_tokens(&pagination.page, Scope::Operations);
    let locals = &op.locals;
    let (client, params, page, page_size, page_offset, base) = (
        &locals.client,
        &locals.params,
        &locals.page,
        &locals.page_size,
        &locals.page_offset,
        &locals.base,
    );
    let required: Vec<&Param> = op
        .call
        .args
        .iter()
        .filter_map(|a| match a {
            CallArg::Param(i) => Some(&op.params[*i]),
            CallArg::Body => None,
        })
        .collect();
    // Required arguments are owned by the stream, then lent to each page's request.
    let owned = required.iter().map(|p| {
        let name = &p.name;
        match &p.ty {
            Type::String => quote!(let #name = self.#name.to_owned();),
            Type::Vec(_) => quote!(let #name = self.#name.to_vec();),
            ty if passed_by_reference(ty) => quote!(let #name = self.#name.clone();),
            _ => quote!(let #name = self.#name;),
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
    let request_fn = request_fn_name(op);
    let (paginated, page_struct, call_ty, response) = (
        RootItem::Paginated,
        RuntimeItem::Page,
        RuntimeItem::Call,
        RuntimeItem::Response,
    );
    let doc = format!(
        " Every item, fetched page by page as the stream is polled: the page size is the `limit` set (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}), and `offset` where the stream starts."
    );
    quote! {
        #[doc = #doc]
        ///
        /// A failed page is yielded as an `Err` item (see [`Paginated`](crate::Paginated)).
        pub fn stream(self) -> #paginated<#item> {
            let #client = self.#base.into_client();
            let #params = self.#params;
            #(#owned)*
            #paginated::new(#start_limit, #start_offset, move |#page_size, #page_offset| {
                let mut #params = #params.clone();
                #params.#limit_field = ::std::option::Option::Some(#set_limit);
                #params.#offset_field = ::std::option::Option::Some(#set_offset);
                #call_ty::owned(
                    #client.clone(),
                    #request_fn(#(#call_args,)* &#params),
                    |#page: #response| {
                        let #page: #page_ty = #page.model()?;
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

/// The struct of an operation's optional parameters, when it has any: what the builder's
/// setters fill, and what `.params(..)` takes whole. It is `#[non_exhaustive]` so Clerk
/// can add optional parameters without breaking callers: build it with `Default` and set
/// fields.
fn params_struct(op: &Operation) -> Option<TokenStream> {
    let name = op.call.params_struct.as_ref()?;
    let doc = format!(
        " The optional parameters of [`Client::{0}`](crate::Client::{0}), for [`{1}::params`].",
        op.fn_name, op.call.builder
    );
    let fields = op.params.iter().filter(|p| !p.required).map(|p| {
        let docs = doc_attrs([p.doc.as_deref()]);
        let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
        let fname = &p.name;
        let ty = param_field_type(p);
        quote! {
            #docs
            #deprecated
            pub #fname: #ty,
        }
    });
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    })
}

/// The type of an optional parameter's field, by [`Param::field_wrapper`].
fn param_field_type(p: &Param) -> TokenStream {
    let ty = type_tokens(&p.ty, Scope::Operations);
    match p.field_wrapper() {
        Wrapper::Option => quote!(::std::option::Option<#ty>),
        Wrapper::Plain | Wrapper::Nullable => ty,
    }
}

//! The intermediate representation between the spec and the tokens: every `$ref` is
//! resolved, every name is final, every type is a Rust shape. Emitting is a plain walk.

use crate::naming::RustIdent;
use crate::pointer::Pointer;

mod models;
pub mod webhooks;

pub use models::Models;

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub server_url: Option<String>,
    /// Sorted by name.
    pub models: Vec<Model>,
    /// One per tag, sorted by module name.
    pub modules: Vec<Module>,
}

/// A Rust type as a field, parameter, body or response uses it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    Bool,
    I32,
    I64,
    F32,
    F64,
    String,
    /// Raw bytes (`format: binary`).
    Bytes,
    /// Any JSON (`serde_json::Value`).
    Json,
    /// A JSON object of unknown shape (`serde_json::Map<String, Value>`).
    JsonObject,
    /// A generated model, by its type name.
    Named(RustIdent),
    Vec(Box<Type>),
    /// A value that may be `null` where the container allows it (array items).
    Option(Box<Type>),
    /// A string-keyed map (`BTreeMap<String, T>`, ordered for deterministic output).
    Map(Box<Type>),
}

impl Type {
    /// Generated models this type mentions directly or through containers.
    pub fn named(&self) -> Option<&RustIdent> {
        match self {
            Type::Named(n) => Some(n),
            Type::Vec(inner) | Type::Map(inner) | Type::Option(inner) => inner.named(),
            _ => None,
        }
    }
}

/// Which serde directions a model needs: request types serialize, response types
/// deserialize; only types used both ways get both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub serialize: bool,
    pub deserialize: bool,
}

impl Usage {
    pub const REQUEST: Usage = Usage {
        serialize: true,
        deserialize: false,
    };
    pub const RESPONSE: Usage = Usage {
        serialize: false,
        deserialize: true,
    };

    pub fn union(self, other: Usage) -> Usage {
        Usage {
            serialize: self.serialize || other.serialize,
            deserialize: self.deserialize || other.deserialize,
        }
    }

    pub fn covers(self, other: Usage) -> bool {
        (self.serialize || !other.serialize) && (self.deserialize || !other.deserialize)
    }
}

#[derive(Debug, Clone)]
pub struct Model {
    pub name: RustIdent,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// Where the model comes from, for comments and warnings.
    pub source: Pointer,
    pub kind: ModelKind,
    pub usage: Usage,
    /// The tag modules (cargo features) whose operations use this model, sorted;
    /// empty when no operation does.
    pub features: Vec<RustIdent>,
}

#[derive(Debug, Clone)]
pub enum ModelKind {
    Struct(Struct),
    Enum(StringEnum),
    Union(Union),
    /// A named schema that is just another type (`type: array`, a bare `string`, ...).
    Alias(Type),
    /// A named schema that is another type containing itself (`type: array` of itself,
    /// a map of itself): a transparent tuple struct, since a type alias cannot recurse.
    Newtype(Type),
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` with a schema: collected into a flattened map, in the
    /// field named `additional_name`.
    pub additional: Option<Type>,
    pub additional_name: RustIdent,
    /// `anyOf`/`oneOf` branches that only list `required` names: at least one of these
    /// groups of (wire) field names must be set.
    pub required_any_of: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    pub name: RustIdent,
    pub ty: Type,
    pub presence: Presence,
    pub doc: Option<String>,
    pub deprecated: bool,
    pub read_only: bool,
    /// A field that needs `Box` to break a recursive type.
    pub boxed: bool,
    /// A valid value for the field when it is a scalar (or array of scalars), from the
    /// schema's `enum`, `example`, `default` or constraints; used by the contract suite.
    pub sample: Option<serde_json::Value>,
}

/// Whether a field must be present and whether it may be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Required,
    /// Always present, possibly `null`.
    RequiredNullable,
    Optional,
    /// May be absent, `null`, or a value.
    OptionalNullable,
}

/// How a field's Rust type wraps its value type `T`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrapper {
    /// `T`.
    Plain,
    /// `Option<T>`.
    Option,
    /// The runtime's three-state `Nullable<T>`: absent, `null`, or a value.
    Nullable,
}

impl Presence {
    pub fn new(required: bool, nullable: bool) -> Presence {
        match (required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }

    pub fn is_required(self) -> bool {
        matches!(self, Presence::Required | Presence::RequiredNullable)
    }

    pub fn is_nullable(self) -> bool {
        matches!(
            self,
            Presence::RequiredNullable | Presence::OptionalNullable
        )
    }

    /// The one rule for a field's Rust type: plain when always there and never `null`;
    /// three-state [`Wrapper::Nullable`] when optional and nullable in data that is
    /// sent (so a PATCH can send `null` to clear a value; `sent` is false for
    /// multipart, which has no `null`); `Option` otherwise.
    pub fn wrapper(self, sent: bool) -> Wrapper {
        match self {
            Presence::Required => Wrapper::Plain,
            Presence::OptionalNullable if sent => Wrapper::Nullable,
            _ => Wrapper::Option,
        }
    }
}

impl Param {
    /// How an optional parameter's field in the params struct wraps its type: arrays
    /// are not wrapped (an empty list is not sent), anything else is an `Option`.
    pub fn field_wrapper(&self) -> Wrapper {
        if self.shape == ParamShape::Array {
            Wrapper::Plain
        } else {
            Wrapper::Option
        }
    }
}

/// A string enum; the emitted type also accepts values the spec does not list.
#[derive(Debug, Clone)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub wire: String,
    pub name: RustIdent,
}

/// `oneOf`/`anyOf`: a tagged enum when a discriminator names the branches, otherwise
/// an untagged enum tried in order.
#[derive(Debug, Clone)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    pub tag: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub name: RustIdent,
    pub ty: Type,
    /// Discriminator values that select this variant (tagged unions only).
    pub tags: Vec<String>,
}

/// The operations of one tag: one Rust module.
#[derive(Debug, Clone)]
pub struct Module {
    /// The module's name, which is also its cargo feature.
    pub name: RustIdent,
    pub tag: String,
    pub doc: Option<String>,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    pub fn_name: RustIdent,
    pub method: Method,
    /// The path template as the spec writes it (`/organizations/{organization_id}`).
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Path template pieces in order.
    pub segments: Vec<PathSegment>,
    pub params: Vec<Param>,
    /// How Rust code calls the operation.
    pub call: CallShape,
    pub body: Option<Body>,
    pub response: Response,
    pub pagination: Option<Pagination>,
    /// Declared 4xx statuses whose JSON body has an `errors` array (Clerk's error
    /// shape), sorted: the contract suite asks the mock server for some of them.
    pub error_statuses: Vec<u16>,
    /// Names of the generated method's own locals and arguments, chosen so that no
    /// parameter of the spec has to be renamed.
    pub locals: Locals,
}

/// How an operation is called: `client.<fn_name>(args...)` returns the request builder,
/// which has one setter per optional parameter, `.body(..)` when the body is optional and
/// `.stream()` when the operation is paginated, and is awaited for the result. The one
/// description of a call the emitter, the contract suite, the API surface and the
/// change report read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallShape {
    /// The request builder type, in the tag module.
    pub builder: RustIdent,
    /// The `Client` method's arguments, in order: the path parameters in path order,
    /// the required query and header parameters in spec order, then a required body.
    pub args: Vec<CallArg>,
    /// One builder method per optional parameter, in spec order.
    pub setters: Vec<Setter>,
    /// The struct of the optional parameters (`.params(..)` sets them all at once);
    /// `None` when there are none.
    pub params_struct: Option<RustIdent>,
}

/// An argument of an operation's `Client` method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallArg {
    /// A required parameter: an index into [`Operation::params`].
    Param(usize),
    /// The required request body.
    Body,
}

/// A builder method setting one optional parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setter {
    /// Index into [`Operation::params`].
    pub param: usize,
    /// The method's name: the parameter's, unless a builder method has it.
    pub method: RustIdent,
}

impl Operation {
    /// Whether the request body is set by `.body(..)` rather than passed as an argument.
    pub fn has_body_setter(&self) -> bool {
        self.body.as_ref().is_some_and(|b| !b.required)
    }
}

/// The identifiers a generated method (and its stream method) declares for itself.
#[derive(Debug, Clone)]
pub struct Locals {
    /// The `runtime::Request` being filled.
    pub request: RustIdent,
    /// The argument carrying the optional parameters.
    pub params: RustIdent,
    /// The request body argument.
    pub body: RustIdent,
    /// A bound value inside `if let` and loops.
    pub value: RustIdent,
    /// In stream methods: the cloned client, the page, its size and offset.
    pub client: RustIdent,
    /// The builder's field holding its client and per-call options.
    pub base: RustIdent,
    pub page: RustIdent,
    pub page_size: RustIdent,
    pub page_offset: RustIdent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
}

/// How a parameter's value is serialized (OpenAPI's `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// Query `form`: exploded, arrays repeat the key (`id=a&id=b`) and objects give
    /// one key per property (`a=1&b=2`); unexploded, values are comma-joined
    /// (`id=a,b`, `obj=a,1,b,2`).
    Form { explode: bool },
    /// Query `spaceDelimited` / `pipeDelimited`: values joined with ` ` or `|`.
    Delimited(char),
    /// Query `deepObject`: `obj[a]=1&obj[b]=2`.
    DeepObject,
    /// Path and header `simple`: comma-joined.
    Simple,
}

/// What kind of value a parameter carries, which decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamShape {
    /// A scalar or a string enum.
    Scalar,
    /// An array of scalars.
    Array,
    /// A struct or a map of scalars (query parameters only).
    Object,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire: String,
    pub name: RustIdent,
    pub location: Location,
    pub ty: Type,
    pub shape: ParamShape,
    pub required: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    pub style: ParamStyle,
    /// A valid value for the parameter (see [`Field::sample`]).
    pub sample: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub ty: Type,
    pub media: BodyMedia,
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyMedia {
    Json,
    Multipart,
    Form,
    Bytes,
}

impl BodyMedia {
    pub fn content_type(self) -> &'static str {
        match self {
            BodyMedia::Json => "application/json",
            BodyMedia::Multipart => "multipart/form-data",
            BodyMedia::Form => "application/x-www-form-urlencoded",
            BodyMedia::Bytes => "application/octet-stream",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// A JSON body of this type.
    Json(Type),
    /// A JSON body of this type, or no body (another 2xx, such as 204, has none).
    JsonOrEmpty(Type),
    /// No body worth reading (204, or a 2xx without content).
    Empty,
    /// A text body (`text/*`).
    Text,
    /// Raw bytes (`application/octet-stream` and other binary media).
    Bytes,
}

impl Response {
    /// The JSON body type, when there is one.
    pub fn json_type(&self) -> Option<&Type> {
        match self {
            Response::Json(ty) | Response::JsonOrEmpty(ty) => Some(ty),
            Response::Empty | Response::Text | Response::Bytes => None,
        }
    }
}

/// A limit/offset list operation and where its items are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Type of one page (the operation's JSON response).
    pub page: Type,
    /// The operation's params struct, which carries `limit` and `offset`.
    pub params: RustIdent,
    /// Type of one item.
    pub item: Type,
    /// The response field holding the items (`data`); `None` for a bare array.
    pub data_field: Option<RustIdent>,
    /// The response field holding the total (`total_count`), its type, and whether it
    /// is optional in the response.
    pub total_field: Option<(RustIdent, Type, bool)>,
    /// The `limit` and `offset` fields of the params struct, with their types.
    pub limit: (RustIdent, Type),
    pub offset: (RustIdent, Type),
}

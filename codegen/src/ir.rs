//! The intermediate representation between the spec and the tokens: every `$ref` is
//! resolved, every name is final, every type is a Rust shape. Emitting is a plain walk.

use crate::pointer::Pointer;

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
    Named(String),
    Vec(Box<Type>),
    /// A value that may be `null` where the container allows it (array items).
    Option(Box<Type>),
    /// A string-keyed map (`BTreeMap<String, T>`, ordered for deterministic output).
    Map(Box<Type>),
}

impl Type {
    /// Generated models this type mentions directly or through containers.
    pub fn named(&self) -> Option<&str> {
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
    pub name: String,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// Where the model comes from, for comments and warnings.
    pub source: Pointer,
    pub kind: ModelKind,
    pub usage: Usage,
    /// The tag modules (cargo features) whose operations use this model, sorted;
    /// empty when no operation does.
    pub features: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum ModelKind {
    Struct(Struct),
    Enum(StringEnum),
    Union(Union),
    /// A named schema that is just another type (`type: array`, a bare `string`, ...).
    Alias(Type),
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` with a schema: collected into a flattened map, in the
    /// field named `additional_name`.
    pub additional: Option<Type>,
    pub additional_name: String,
    /// `anyOf`/`oneOf` branches that only list `required` names: at least one of these
    /// groups of (wire) field names must be set.
    pub required_any_of: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    /// The Rust field name (may be a raw identifier).
    pub name: String,
    pub ty: Type,
    pub required: bool,
    pub nullable: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    pub read_only: bool,
    /// A field that needs `Box` to break a recursive type.
    pub boxed: bool,
    /// A valid value for the field when it is a scalar (or array of scalars), from the
    /// schema's `enum`, `example`, `default` or constraints; used by the contract suite.
    pub sample: Option<serde_json::Value>,
}

/// A string enum; the emitted type also accepts values the spec does not list.
#[derive(Debug, Clone)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub wire: String,
    pub name: String,
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
    pub name: String,
    pub ty: Type,
    /// Discriminator values that select this variant (tagged unions only).
    pub tags: Vec<String>,
}

/// The operations of one tag: one Rust module.
#[derive(Debug, Clone)]
pub struct Module {
    pub name: String,
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
    pub fn_name: String,
    pub method: Method,
    /// The path template as the spec writes it (`/organizations/{organization_id}`).
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Path template pieces in order.
    pub segments: Vec<PathSegment>,
    pub params: Vec<Param>,
    /// Struct carrying the optional parameters, when there are any.
    pub params_struct: Option<String>,
    pub body: Option<Body>,
    pub response: Response,
    pub pagination: Option<Pagination>,
    /// Declared 4xx statuses whose JSON body has an `errors` array (Clerk's error
    /// shape), sorted: the contract suite asks the mock server for some of them.
    pub error_statuses: Vec<u16>,
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

/// How an array parameter is written into the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    /// `form`, `explode: true`: `id=a&id=b`.
    Repeat,
    /// A single value joined with this delimiter (`form` unexploded: `,`;
    /// `spaceDelimited`: ` `; `pipeDelimited`: `|`).
    Joined(char),
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire: String,
    pub name: String,
    pub location: Location,
    pub ty: Type,
    pub required: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    pub style: ArrayStyle,
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
    /// Type of one item.
    pub item: Type,
    /// The response field holding the items (`data`); `None` for a bare array.
    pub data_field: Option<String>,
    /// The response field holding the total (`total_count`), its type, and whether it
    /// is optional in the response.
    pub total_field: Option<(String, Type, bool)>,
    /// The `limit` and `offset` fields of the params struct, with their types.
    pub limit: (String, Type),
    pub offset: (String, Type),
    /// The name of the generated stream method.
    pub stream_fn: String,
}

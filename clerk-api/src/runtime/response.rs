//! A complete success answer, read into memory, decoded by the generated method.

use super::error::Error;
use super::json::{self, FromJson, JsonError};
use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

#[derive(Debug)]
pub struct Response {
    pub(crate) operation_id: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Response {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Decodes the JSON body; a mismatch names the JSON path of the failing field.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        match serde_json::from_slice(&self.body) {
            Ok(value) => Ok(value),
            Err(e) => Err(self.decode_error(e)),
        }
    }

    /// The non-generic half of [`Response::json`]: compiled once, not per type.
    fn decode_error(self, e: serde_json::Error) -> Error {
        let whole_object = e.to_string().starts_with("missing field");
        let path = super::json_path::path_at(&self.body, e.line(), e.column(), whole_object);
        Error::decode(
            self.operation_id,
            self.status,
            path,
            e.to_string(),
            self.body,
        )
    }

    /// Decodes the JSON body into a generated model with the crate's own decoder (see
    /// [`crate::runtime::json`]): what every generated operation does.
    pub fn model<T: FromJson>(self) -> Result<T, Error> {
        match json::from_slice(&self.body) {
            Ok(value) => Ok(value),
            Err(e) => Err(self.model_error(e)),
        }
    }

    /// The non-generic half of [`Response::model`].
    fn model_error(self, e: JsonError) -> Error {
        Error::decode(
            self.operation_id,
            self.status,
            e.path(),
            e.message().to_owned(),
            self.body,
        )
    }

    /// Like [`Response::model`], but an empty body (a 204, say) is `None`.
    pub fn model_or_empty<T: FromJson>(self) -> Result<Option<T>, Error> {
        if self.is_empty() {
            return Ok(None);
        }
        self.model().map(Some)
    }

    fn is_empty(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }

    /// Like [`Response::json`], but an empty body (a 204, say) is `None`.
    pub fn json_or_empty<T: DeserializeOwned>(self) -> Result<Option<T>, Error> {
        if self.is_empty() {
            return Ok(None);
        }
        self.json().map(Some)
    }

    /// The body as UTF-8 text (invalid sequences replaced).
    pub fn text(self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    pub fn into_bytes(self) -> Bytes {
        self.body
    }

    /// The decode step of operations whose answer has no body worth reading.
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    /// The decode step of operations answering with raw bytes.
    pub fn bytes(self) -> Result<Bytes, Error> {
        Ok(self.body)
    }
}

//! A complete success answer, read into memory, decoded by the generated method.

use super::error::Error;
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
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let decoded = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| (e.path().to_string(), e.into_inner()))
            .and_then(|value| de.end().map(|()| value).map_err(|e| (".".to_owned(), e)));
        decoded.map_err(|(path, e)| {
            Error::decode(
                self.operation_id,
                self.status,
                path,
                e.to_string(),
                self.body.clone(),
            )
        })
    }

    /// Like [`Response::json`], but an empty body (a 204, say) is `None`.
    pub fn json_or_empty<T: DeserializeOwned>(self) -> Result<Option<T>, Error> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
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
}

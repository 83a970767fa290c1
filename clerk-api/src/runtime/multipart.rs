//! `multipart/form-data` bodies, kept as data so a retry can send them again.

use bytes::Bytes;
use std::fmt;

/// A file to upload: its bytes, and optionally the file name and content type the
/// server sees.
///
/// ```
/// let logo = clerk_api::FilePart::new(vec![0x89, b'P', b'N', b'G'])
///     .file_name("logo.png")
///     .content_type("image/png");
/// # assert_eq!(logo.len(), 4);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

#[derive(Debug, Clone)]
enum PartData {
    Text(String),
    File(FilePart),
}

/// The parts of a multipart body, in order.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<(String, PartData)>,
    /// Why a part could not be built; the request is refused before it is sent.
    problem: Option<String>,
}

impl Multipart {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn text(&mut self, name: &str, value: String) {
        self.parts.push((name.to_owned(), PartData::Text(value)));
    }

    pub fn file(&mut self, name: &str, file: FilePart) {
        self.parts.push((name.to_owned(), PartData::File(file)));
    }

    /// A structured value, sent as its JSON text. A value that does not serialize is
    /// recorded, and [`Request::multipart`](super::Request::multipart) refuses the body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_string(value) {
            Ok(text) => self.text(name, text),
            Err(e) => {
                self.problem
                    .get_or_insert_with(|| format!("part `{name}` does not serialize: {e}"));
            }
        }
    }

    pub(crate) fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// A fresh reqwest form for one attempt (a form is consumed by sending it).
    pub(crate) fn to_form(&self) -> Result<reqwest::multipart::Form, reqwest::Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, data) in &self.parts {
            form = match data {
                PartData::Text(text) => form.text(name.clone(), text.clone()),
                PartData::File(file) => {
                    let mut part = reqwest::multipart::Part::stream_with_length(
                        reqwest::Body::from(file.bytes.clone()),
                        file.bytes.len() as u64,
                    );
                    if let Some(file_name) = &file.file_name {
                        part = part.file_name(file_name.clone());
                    }
                    let content_type = file
                        .content_type
                        .as_deref()
                        .unwrap_or("application/octet-stream");
                    part = part.mime_str(content_type)?;
                    form.part(name.clone(), part)
                }
            };
        }
        Ok(form)
    }
}

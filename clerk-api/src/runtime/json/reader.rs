//! A JSON reader over one UTF-8 body: what the generated models decode from.
//!
//! It is not generic, so one copy of the parsing code serves every model; a model adds
//! only its field table and the assignment of each field (see [`super::FromJson`]).

use super::error::JsonError;
use std::borrow::Cow;
use std::sync::OnceLock;

/// How deep arrays and objects may nest before decoding stops (serde_json's limit), so
/// a hostile body cannot exhaust the stack.
const MAX_DEPTH: u32 = 128;

/// A cursor over a JSON text.
#[derive(Debug)]
pub struct JsonReader<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
}

/// What reads one member of an object, given its key.
pub type ReadMember<'r, 'a> =
    dyn FnMut(&mut JsonReader<'a>, Cow<'a, str>) -> Result<(), JsonError> + 'r;

/// What reads one field of a model, given which.
pub type ReadField<'r, 'a> =
    dyn FnMut(&mut JsonReader<'a>, JsonField<'a>) -> Result<(), JsonError> + 'r;

/// What reads one item of an array.
pub type ReadItem<'r, 'a> = dyn FnMut(&mut JsonReader<'a>) -> Result<(), JsonError> + 'r;

/// A key of an object, as [`JsonReader::object`] hands it to a model.
#[derive(Debug)]
pub enum JsonField<'a> {
    /// The field at this index of the model (its place in the model's field table).
    Known(usize),
    /// A key the model does not name, for models that keep other properties.
    Other(Cow<'a, str>),
}

/// A model's wire names, each with the model's own index for it. Keys are found through
/// a small hash table built on first use (one hash of the key and, almost always, one
/// comparison), whatever order the keys arrive in.
#[derive(Debug)]
pub struct JsonFields {
    names: &'static [(&'static str, usize)],
    others: bool,
    /// Open addressing over `names`: each slot holds a position in `names` plus one,
    /// or 0 when empty; the length is a power of two at least twice `names`.
    table: OnceLock<Box<[u16]>>,
}

/// The hash keys are placed by (FNV-1a: short keys, no allocation, no seed needed as the
/// names are fixed and a collision costs only a second comparison).
fn key_hash(key: &str) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for &b in key.as_bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    hash as usize
}

impl JsonFields {
    /// `names` are the model's wire names with its index for each; `others` says
    /// whether keys outside them are handed to the model or skipped.
    pub const fn new(names: &'static [(&'static str, usize)], others: bool) -> Self {
        JsonFields {
            names,
            others,
            table: OnceLock::new(),
        }
    }

    fn table(&self) -> &[u16] {
        self.table.get_or_init(|| {
            let size = (self.names.len() * 2).next_power_of_two().max(4);
            let mut table = vec![0u16; size].into_boxed_slice();
            for (position, (name, _)) in self.names.iter().enumerate() {
                let mut slot = key_hash(name) & (size - 1);
                while table[slot] != 0 {
                    slot = (slot + 1) & (size - 1);
                }
                table[slot] = u16::try_from(position + 1).unwrap_or(u16::MAX);
            }
            table
        })
    }

    #[inline]
    pub(crate) fn index(&self, key: &str) -> Option<usize> {
        let table = self.table();
        let mask = table.len() - 1;
        let mut slot = key_hash(key) & mask;
        loop {
            let entry = usize::from(table[slot]);
            let (name, index) = self.names.get(entry.checked_sub(1)?)?;
            if *name == key {
                return Some(*index);
            }
            slot = (slot + 1) & mask;
        }
    }
}

/// What a value at the cursor is, for the "invalid type: X, expected Y" of an error
/// (serde's words for JSON's types).
fn found(byte: Option<u8>) -> &'static str {
    match byte {
        Some(b'"') => "string",
        Some(b'{') => "map",
        Some(b'[') => "sequence",
        Some(b't' | b'f') => "boolean",
        Some(b'n') => "null",
        Some(b'-' | b'0'..=b'9') => "number",
        Some(_) => "invalid character",
        None => "end of input",
    }
}

impl<'a> JsonReader<'a> {
    /// A reader over `bytes`, which must be UTF-8 (checked once, here).
    pub fn new(bytes: &'a [u8]) -> Result<Self, JsonError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(JsonReader::from_text(text, 0)),
            Err(e) => Err(JsonError::new(format!(
                "the body is not UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ))),
        }
    }

    fn from_text(text: &'a str, depth: u32) -> Self {
        JsonReader {
            text,
            pos: 0,
            depth,
        }
    }

    /// A reader over `span` (text this reader returned from [`JsonReader::value_text`]),
    /// nested as deep as this one, so the depth limit holds across both.
    pub fn nested(&self, span: &'a str) -> JsonReader<'a> {
        JsonReader::from_text(span, self.depth)
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not whitespace, left unread.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Fails unless only whitespace is left.
    pub fn finish(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.syntax("trailing characters")),
        }
    }

    /// An error about the text at the cursor, worded as serde_json words it and placed
    /// as it places it (1-based line, and column in bytes).
    #[cold]
    fn syntax(&self, what: &str) -> JsonError {
        JsonError::new(format!("{what} at {}", self.location()))
    }

    fn location(&self) -> String {
        let before = &self.bytes()[..self.pos.min(self.text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.len()
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |at| at + 1);
        format!("line {line} column {column}")
    }

    /// The error for a value of the wrong type; `expected` names the type wanted.
    #[cold]
    pub fn unexpected(&mut self, expected: &str) -> JsonError {
        let found = found(self.peek());
        JsonError::new(format!(
            "invalid type: {found}, expected {expected} at {}",
            self.location()
        ))
    }

    #[cold]
    fn invalid(&self, what: String) -> JsonError {
        JsonError::new(format!("{what} at {}", self.location()))
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.syntax("recursion limit exceeded"));
        }
        Ok(())
    }

    fn word(&mut self, word: &str) -> Result<(), JsonError> {
        if self.bytes()[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.syntax("expected ident"))
        }
    }

    /// Reads a `null` if one is next, and says whether it did.
    pub fn null(&mut self) -> Result<bool, JsonError> {
        if self.peek() == Some(b'n') {
            self.word("null")?;
            return Ok(true);
        }
        Ok(false)
    }

    pub fn bool(&mut self) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b't') => self.word("true").map(|()| true),
            Some(b'f') => self.word("false").map(|()| false),
            _ => Err(self.unexpected("a boolean")),
        }
    }

    /// A string, borrowed from the input unless it holds escapes.
    pub fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a string"));
        }
        self.pos += 1;
        self.string_rest()
    }

    /// The rest of a string whose opening quote was read.
    fn string_rest(&mut self) -> Result<Cow<'a, str>, JsonError> {
        let bytes = self.bytes();
        let start = self.pos;
        let mut i = start;
        // Most strings have no escapes: borrow them.
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' => {
                    self.pos = i + 1;
                    return Ok(Cow::Borrowed(&self.text[start..i]));
                }
                b'\\' => break,
                0..=0x1f => {
                    self.pos = i;
                    return Err(self.syntax(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
                _ => i += 1,
            }
        }
        let mut out = String::from(&self.text[start..i]);
        loop {
            match bytes.get(i) {
                None => {
                    self.pos = i;
                    return Err(self.syntax("EOF while parsing a string"));
                }
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos = i + 1;
                    self.escape(&mut out)?;
                    i = self.pos;
                }
                Some(0..=0x1f) => {
                    self.pos = i;
                    return Err(self.syntax(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
                Some(_) => {
                    let run = i;
                    while bytes
                        .get(i)
                        .is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20)
                    {
                        i += 1;
                    }
                    // The run starts and ends at ASCII bytes: char boundaries.
                    out.push_str(&self.text[run..i]);
                }
            }
        }
    }

    /// One escape after its backslash, appended to `out`.
    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let Some(&b) = self.bytes().get(self.pos) else {
            return Err(self.syntax("EOF while parsing a string"));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&first) {
                    // A UTF-16 surrogate pair: `\uD83D\uDE00`.
                    if !self.bytes()[self.pos..].starts_with(b"\\u") {
                        return Err(self.syntax("lone leading surrogate in hex escape"));
                    }
                    self.pos += 2;
                    let second = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(self.syntax("lone leading surrogate in hex escape"));
                    }
                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                } else {
                    first
                };
                char::from_u32(code).ok_or_else(|| self.syntax("invalid escape"))?
            }
            _ => return Err(self.syntax("invalid escape")),
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .bytes()
            .get(self.pos..self.pos + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.syntax("invalid escape"))?;
        let code = u32::from_str_radix(digits, 16).map_err(|_| self.syntax("invalid escape"))?;
        self.pos += 4;
        Ok(code)
    }

    /// The text of a number at the cursor (JSON's grammar checked), and whether it is an
    /// integer (no fraction, no exponent).
    fn number(&mut self) -> Result<(&'a str, bool), JsonError> {
        let bytes = self.bytes();
        let start = self.pos;
        let mut i = start;
        let digits = |i: &mut usize| {
            let from = *i;
            while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - from
        };
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        let int_start = i;
        match digits(&mut i) {
            0 => {
                self.pos = i;
                return Err(self.syntax("invalid number"));
            }
            n if n > 1 && bytes[int_start] == b'0' => {
                self.pos = int_start;
                return Err(self.syntax("invalid number"));
            }
            _ => {}
        }
        let mut integer = true;
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            integer = false;
            if digits(&mut i) == 0 {
                self.pos = i;
                return Err(self.syntax("invalid number"));
            }
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            i += 1;
            integer = false;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                self.pos = i;
                return Err(self.syntax("invalid number"));
            }
        }
        self.pos = i;
        Ok((&self.text[start..i], integer))
    }

    fn number_start(&mut self, expected: &str) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => Ok(()),
            _ => Err(self.unexpected(expected)),
        }
    }

    pub fn i64(&mut self) -> Result<i64, JsonError> {
        self.number_start("an integer")?;
        let (text, integer) = self.number()?;
        // serde_json reads `-0` as the float -0.0, which no integer holds; so do we.
        if !integer || text == "-0" {
            return Err(self.invalid(format!(
                "invalid type: number `{text}`, expected an integer"
            )));
        }
        text.parse().map_err(|_| {
            self.invalid(format!(
                "invalid value: integer `{text}`, expected a 64-bit integer"
            ))
        })
    }

    pub fn i32(&mut self) -> Result<i32, JsonError> {
        let value = self.i64()?;
        i32::try_from(value).map_err(|_| {
            self.invalid(format!(
                "invalid value: integer `{value}`, expected a 32-bit integer"
            ))
        })
    }

    pub fn f64(&mut self) -> Result<f64, JsonError> {
        self.number_start("a number")?;
        let (text, _) = self.number()?;
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok(value),
            _ => Err(self.invalid(format!("number out of range: `{text}`"))),
        }
    }

    pub fn f32(&mut self) -> Result<f32, JsonError> {
        // As serde_json does: read as f64, then narrow.
        self.f64().map(|value| value as f32)
    }

    /// The members of an object, each handed to `each` with its key, which must read
    /// the member's value. An error inside a member is given the member's key as the
    /// next step of its path.
    pub fn members(&mut self, each: &mut ReadMember<'_, 'a>) -> Result<(), JsonError> {
        if !self.open(b'{', b'}', "a map")? {
            return Ok(());
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.syntax("key must be a string"));
            }
            self.pos += 1;
            let key = self.string_rest()?;
            if self.peek() != Some(b':') {
                return Err(self.syntax("expected `:`"));
            }
            self.pos += 1;
            // A borrowed key costs nothing to keep for the error path.
            if let Err(mut e) = each(self, key.clone()) {
                e.push_key(&key);
                return Err(e);
            }
            if !self.more(b'}', "expected `,` or `}`")? {
                return Ok(());
            }
        }
    }

    /// The members of an object that is a model: each key found in `fields` is handed
    /// to `each` as its index, other keys are skipped (or handed over as
    /// [`JsonField::Other`] when the model keeps them).
    pub fn object(
        &mut self,
        fields: &JsonFields,
        each: &mut ReadField<'_, 'a>,
    ) -> Result<(), JsonError> {
        self.members(&mut |reader, key| match fields.index(&key) {
            Some(index) => each(reader, JsonField::Known(index)),
            None if fields.others => each(reader, JsonField::Other(key)),
            None => reader.skip(),
        })
    }

    /// The items of an array, each read by `each`; an error inside an item is given its
    /// index as the next step of its path.
    pub fn array(&mut self, each: &mut ReadItem<'_, 'a>) -> Result<(), JsonError> {
        if !self.open(b'[', b']', "a sequence")? {
            return Ok(());
        }
        let mut index = 0;
        loop {
            if let Err(mut e) = each(self) {
                e.push_index(index);
                return Err(e);
            }
            index += 1;
            if !self.more(b']', "expected `,` or `]`")? {
                return Ok(());
            }
        }
    }

    /// Reads the `open` bracket of an object or array (`expected` names it for the error
    /// when something else is there) and enters one level; `false` when `close` follows
    /// at once (the container is empty, and read).
    fn open(&mut self, open: u8, close: u8, expected: &str) -> Result<bool, JsonError> {
        if self.peek() != Some(open) {
            return Err(self.unexpected(expected));
        }
        self.pos += 1;
        self.enter()?;
        if self.peek() == Some(close) {
            self.leave();
            return Ok(false);
        }
        Ok(true)
    }

    /// After a member or item: `true` past a `,` (another one follows), `false` past the
    /// `close` bracket (the container is read), else the syntax error `expected`.
    fn more(&mut self, close: u8, expected: &str) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b) if b == close => {
                self.leave();
                Ok(false)
            }
            _ => Err(self.syntax(expected)),
        }
    }

    /// Past the closing bracket at the cursor, out of its level.
    fn leave(&mut self) {
        self.pos += 1;
        self.depth -= 1;
    }

    /// Reads past one value of any type, checking its syntax.
    pub fn skip(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'"') => {
                self.pos += 1;
                // Borrowed, so free, unless it holds escapes.
                self.string_rest().map(drop)
            }
            Some(b'{') => self.members(&mut |reader, _| reader.skip()),
            Some(b'[') => self.array(&mut |reader| reader.skip()),
            Some(b't') => self.word("true"),
            Some(b'f') => self.word("false"),
            Some(b'n') => self.word("null"),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(_) => Err(self.syntax("expected value")),
            None => Err(self.syntax("EOF while parsing a value")),
        }
    }

    /// The text of the next value (syntax checked), leaving the cursor after it: what
    /// unions read once and then try their shapes on.
    pub fn value_text(&mut self) -> Result<&'a str, JsonError> {
        self.peek();
        let start = self.pos;
        self.skip()?;
        Ok(&self.text[start..self.pos])
    }

    /// Any value, as serde_json holds it (metadata and other free-form data), read
    /// directly rather than parsed a second time. Numbers become what serde_json makes
    /// them: an unsigned or signed integer where one fits, otherwise a float.
    pub fn value(&mut self) -> Result<serde_json::Value, JsonError> {
        use serde_json::Value;
        Ok(match self.peek() {
            Some(b'"') => Value::String(self.string()?.into_owned()),
            Some(b'{') => Value::Object(self.value_map()?),
            Some(b'[') => {
                let mut items = Vec::new();
                self.array(&mut |reader| {
                    items.push(reader.value()?);
                    Ok(())
                })?;
                Value::Array(items)
            }
            Some(b't' | b'f') => Value::Bool(self.bool()?),
            Some(b'n') => {
                self.word("null")?;
                Value::Null
            }
            Some(b'-' | b'0'..=b'9') => Value::Number(self.json_number()?),
            Some(_) => return Err(self.syntax("expected value")),
            None => return Err(self.syntax("EOF while parsing a value")),
        })
    }

    /// An object of any values, as serde_json holds it.
    pub fn value_map(&mut self) -> Result<serde_json::Map<String, serde_json::Value>, JsonError> {
        let mut map = serde_json::Map::new();
        self.members(&mut |reader, key| {
            map.insert(key.into_owned(), reader.value()?);
            Ok(())
        })?;
        Ok(map)
    }

    fn json_number(&mut self) -> Result<serde_json::Number, JsonError> {
        let (text, integer) = self.number()?;
        if integer && text != "-0" {
            if let Ok(n) = text.parse::<u64>() {
                return Ok(n.into());
            }
            if let Ok(n) = text.parse::<i64>() {
                return Ok(n.into());
            }
        }
        text.parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .ok_or_else(|| self.invalid(format!("number out of range: `{text}`")))
    }

    /// Whether the next value is an object.
    pub fn at_object(&mut self) -> bool {
        self.peek() == Some(b'{')
    }
}

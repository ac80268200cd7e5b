//! JSONL records: finding the text (and id) field of one record, by a dotted
//! path such as `meta.text`, and writing a changed text back into the line
//! without touching any other byte of it.
//!
//! The record is parsed once into a map of `RawValue`s that borrow from the
//! line, so the exact byte span of the text field's JSON string is known.
//! A fix re-encodes only that string; key order, spacing, escapes and every
//! other field stay as they were. When the original string escaped all
//! non-ASCII characters (`\u00fc`, as Python's `json.dumps` does by
//! default), the new one does too.

use serde_json::value::RawValue;
use std::collections::HashMap;
use std::ops::Range;

/// A dotted path to a field: `text`, `meta.id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    keys: Vec<String>,
    display: String,
}

impl FieldPath {
    pub fn parse(s: &str) -> Result<Self, String> {
        let keys: Vec<String> = s.split('.').map(str::to_string).collect();
        if keys.iter().any(|k| k.is_empty()) {
            return Err(format!(
                "`{s}` is not a field path: use names joined by dots, e.g. `meta.id`"
            ));
        }
        Ok(FieldPath {
            keys,
            display: s.to_string(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.display
    }
}

/// What the engine needs of one record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub text: String,
    pub id: Option<serde_json::Value>,
    /// Byte range of the text field's JSON string (quotes included) in the line.
    pub span: Range<usize>,
    /// The original string escaped every non-ASCII character.
    pub ascii_escaped: bool,
}

type Object<'a> = HashMap<String, &'a RawValue>;

fn kind_of(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'"') => "a string",
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// The raw value at `path` in `top`, if every step exists.
fn lookup<'a>(top: &Object<'a>, path: &FieldPath) -> Result<Option<&'a RawValue>, String> {
    let (first, rest) = path.keys.split_first().expect("a field path has a key");
    let Some(mut current) = top.get(first).copied() else {
        return Ok(None);
    };
    for (i, key) in rest.iter().enumerate() {
        let nested: Object<'a> = match serde_json::from_str(current.get()) {
            Ok(map) => map,
            Err(_) => {
                let at = path.keys[..=i].join(".");
                return Err(format!(
                    "field `{at}` is {}, not an object",
                    kind_of(current.get())
                ));
            }
        };
        match nested.get(key) {
            Some(v) => current = v,
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

/// Parses one record (a line without its line break).
pub fn parse_record(
    line: &str,
    text_field: &FieldPath,
    id_field: &FieldPath,
) -> Result<Record, String> {
    let top: Object<'_> = serde_json::from_str(line).map_err(|e| {
        if line.trim_start().starts_with('{') {
            format!("invalid JSON: {e}")
        } else {
            "not a JSON object".to_string()
        }
    })?;
    let raw = lookup(&top, text_field)?.ok_or_else(|| {
        format!(
            "no `{}` field (set the text field with --text-field)",
            text_field.as_str()
        )
    })?;
    let raw_str = raw.get();
    if !raw_str.starts_with('"') {
        return Err(format!(
            "field `{}` is {}, not a string",
            text_field.as_str(),
            kind_of(raw_str)
        ));
    }
    let text: String = serde_json::from_str(raw_str).map_err(|e| {
        let field = text_field.as_str();
        match lone_surrogate(raw_str) {
            Some((at, escape)) => {
                let column = line[..raw_str.as_ptr() as usize - line.as_ptr() as usize + at]
                    .chars()
                    .count()
                    + 1;
                format!(
                    "field `{field}`: `{escape}` at column {column} is half of a UTF-16 surrogate pair without its other half, which is no character (the text was cut or mis-encoded)"
                )
            }
            None => format!("field `{field}`: {e}"),
        }
    })?;
    let start = raw_str.as_ptr() as usize - line.as_ptr() as usize;
    let id = match lookup(&top, id_field) {
        Ok(Some(v)) => serde_json::from_str(v.get()).ok(),
        _ => None,
    };
    Ok(Record {
        ascii_escaped: raw_str.is_ascii() && raw_str.contains("\\u") && !text.is_ascii(),
        text,
        id,
        span: start..start + raw_str.len(),
    })
}

/// The first `\uD800`–`\uDFFF` escape of the JSON string literal `raw`
/// that is not part of a high-low pair: its byte offset and its text.
fn lone_surrogate(raw: &str) -> Option<(usize, &str)> {
    let bytes = raw.as_bytes();
    let unit = |at: usize| -> Option<u16> {
        if bytes.get(at..at + 2)? != b"\\u" {
            return None;
        }
        u16::from_str_radix(raw.get(at + 2..at + 6)?, 16).ok()
    };
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            match unit(i) {
                Some(0xD800..=0xDBFF) => {
                    if !matches!(unit(i + 6), Some(0xDC00..=0xDFFF)) {
                        return Some((i, &raw[i..i + 6]));
                    }
                    i += 12;
                    continue;
                }
                Some(0xDC00..=0xDFFF) => return Some((i, &raw[i..i + 6])),
                _ => i += 2,
            }
            continue;
        }
        i += 1;
    }
    None
}

/// A JSON string literal for `s`; with `ascii_only`, every non-ASCII
/// character as `\uXXXX` (surrogate pairs beyond the BMP).
pub fn encode_string(s: &str, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16 + 2);
    encode_into(&mut out, s, ascii_only);
    out
}

/// Whether a byte must be escaped in a JSON string (as serde_json writes
/// them: quote, backslash and control characters; not DEL, not non-ASCII).
#[inline]
fn must_escape(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}

/// [`encode_string`] appended to `out`.
fn encode_into(out: &mut String, s: &str, ascii_only: bool) {
    out.push('"');
    if ascii_only {
        encode_ascii(out, s);
    } else {
        encode_plain(out, s);
    }
    out.push('"');
}

/// The plain style, as serde_json writes it: the runs between the bytes to
/// escape copied whole, found 16 bytes at a time (a loop without a branch
/// per byte).
fn encode_plain(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        // 16 bytes at a time: most blocks have nothing to escape.
        let block = &bytes[i..(i + 16).min(bytes.len())];
        if !block.iter().fold(false, |any, &b| any | must_escape(b)) {
            i += block.len();
            continue;
        }
        let Some(at) = block.iter().position(|&b| must_escape(b)) else {
            i += block.len(); // not reached: the block holds one
            continue;
        };
        i += at;
        out.push_str(&s[run..i]);
        push_escaped(out, bytes[i]);
        i += 1;
        run = i;
    }
    out.push_str(&s[run..]);
}

/// The ASCII-only style: every character beyond ASCII as `\u` escapes
/// (surrogate pairs beyond the BMP).
fn encode_ascii(out: &mut String, s: &str) {
    for c in s.chars() {
        if !c.is_ascii() {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else if must_escape(c as u8) {
            push_escaped(out, c as u8);
        } else {
            out.push(c);
        }
    }
}

/// The escape of byte `b` (one [`must_escape`] names), as serde_json
/// writes it.
fn push_escaped(out: &mut String, b: u8) {
    match b {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
}

/// `line` with the text field's string replaced by `new_text`.
pub fn replace_text(line: &str, record: &Record, new_text: &str) -> String {
    splice_text(line, &record.span, record.ascii_escaped, new_text)
}

/// `line` with the JSON string at `span` replaced by `new_text`, encoded in
/// the same style (`ascii_escaped`); every other byte is kept.
pub fn splice_text(line: &str, span: &Range<usize>, ascii_escaped: bool, new_text: &str) -> String {
    let mut out = String::with_capacity(line.len() + new_text.len() / 16 + 16);
    out.push_str(&line[..span.start]);
    encode_into(&mut out, new_text, ascii_escaped);
    out.push_str(&line[span.end..]);
    out
}

/// `line` (a JSON object) with the top-level field `key` set to the JSON
/// value `value`: the field's value replaced where it is, or the field
/// added at the end of the object. Every other byte is kept. `None` when
/// the line is not a JSON object.
pub fn set_field(line: &str, key: &str, value: &str) -> Option<String> {
    let top: Object<'_> = serde_json::from_str(line).ok()?;
    if let Some(raw) = top.get(key) {
        let start = raw.get().as_ptr() as usize - line.as_ptr() as usize;
        let end = start + raw.get().len();
        let mut out = String::with_capacity(line.len() + value.len());
        out.push_str(&line[..start]);
        out.push_str(value);
        out.push_str(&line[end..]);
        return Some(out);
    }
    let close = line.trim_end().len().checked_sub(1)?;
    if line.as_bytes().get(close) != Some(&b'}') {
        return None;
    }
    let key = serde_json::to_string(key).expect("a string serialises");
    let comma = if top.is_empty() { "" } else { "," };
    let mut out = String::with_capacity(line.len() + key.len() + value.len() + 2);
    out.push_str(&line[..close]);
    out.push_str(comma);
    out.push_str(&key);
    out.push(':');
    out.push_str(value);
    out.push_str(&line[close..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn plain_strings_encode_as_serde_json_does(s in "[a-zé€\"\\\\\n\r\t\u{0}-\u{1f}\u{7f} ]{0,80}") {
            proptest::prop_assert_eq!(encode_string(&s, false), serde_json::to_string(&s).unwrap());
        }
    }

    #[test]
    fn set_field_adds_or_replaces_keeping_every_other_byte() {
        assert_eq!(
            set_field(
                r#"{"id": 1,  "text": "a"}  "#,
                "corpuslint",
                r#"{"kept":false}"#
            )
            .unwrap(),
            r#"{"id": 1,  "text": "a","corpuslint":{"kept":false}}  "#
        );
        assert_eq!(
            set_field(
                r#"{"corpuslint": {"old": [1, 2]}, "text": "a"}"#,
                "corpuslint",
                "3"
            )
            .unwrap(),
            r#"{"corpuslint": 3, "text": "a"}"#
        );
        assert_eq!(set_field("{ }", "k", "1").unwrap(), r#"{ "k":1}"#);
        assert_eq!(set_field("[1]", "k", "1"), None);
        assert_eq!(set_field("not json", "k", "1"), None);
    }

    fn path(s: &str) -> FieldPath {
        FieldPath::parse(s).unwrap()
    }

    #[test]
    fn finds_nested_fields_and_spans() {
        let line = r#"{"id": 7, "meta": {"lang": "de", "body": "Gr\u00fc\u00dfe< /p>"}, "x": [1]}"#;
        let rec = parse_record(line, &path("meta.body"), &path("id")).unwrap();
        assert_eq!(rec.text, "Grüße< /p>");
        assert_eq!(rec.id, Some(serde_json::json!(7)));
        assert_eq!(&line[rec.span.clone()], r#""Gr\u00fc\u00dfe< /p>""#);
        assert!(rec.ascii_escaped);
        assert_eq!(
            replace_text(line, &rec, "Grüße"),
            r#"{"id": 7, "meta": {"lang": "de", "body": "Gr\u00fc\u00dfe"}, "x": [1]}"#
        );
    }

    #[test]
    fn keeps_raw_utf8_style() {
        let line = r#"{"text":"für „uns“\n< /p>","id":"a-1"}"#;
        let rec = parse_record(line, &path("text"), &path("id")).unwrap();
        assert!(!rec.ascii_escaped);
        assert_eq!(
            replace_text(line, &rec, "für „uns“\n"),
            r#"{"text":"für „uns“\n","id":"a-1"}"#
        );
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let t = path("text");
        assert!(
            parse_record("{\"text\": ", &t, &t)
                .unwrap_err()
                .starts_with("invalid JSON")
        );
        assert_eq!(
            parse_record("[1, 2]", &t, &t).unwrap_err(),
            "not a JSON object"
        );
        assert!(
            parse_record("{\"body\": \"x\"}", &t, &t)
                .unwrap_err()
                .starts_with("no `text` field")
        );
        assert_eq!(
            parse_record("{\"text\": 3}", &t, &t).unwrap_err(),
            "field `text` is a number, not a string"
        );
        assert_eq!(
            parse_record("{\"meta\": 3}", &path("meta.text"), &t).unwrap_err(),
            "field `meta` is a number, not an object"
        );
        assert!(FieldPath::parse("a..b").is_err());
    }

    #[test]
    fn ascii_encoding_uses_surrogate_pairs() {
        assert_eq!(encode_string("ü😀\"", true), r#""\u00fc\ud83d\ude00\"""#);
        assert_eq!(encode_string("ü", false), "\"ü\"");
    }
}

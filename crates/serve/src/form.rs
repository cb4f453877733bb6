//! Query strings and form bodies (`application/x-www-form-urlencoded`):
//! `a=1&b=x+y` decoded into pairs, in order.

/// The pairs of a query string or form body, decoded. A key may repeat.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Form(Vec<(String, String)>);

impl Form {
    /// Parses `text`; bytes that do not decode to UTF-8 are replaced.
    pub(crate) fn parse(text: &str) -> Form {
        Form(
            text.split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }

    /// The first value of `key`, if given and not blank.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key`, in order.
    pub(crate) fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Percent-decodes `text`, reading `+` as a space.
pub(crate) fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut k = 0;
    while k < bytes.len() {
        match bytes[k] {
            b'+' => out.push(b' '),
            b'%' if k + 2 < bytes.len() => match (hex(bytes[k + 1]), hex(bytes[k + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    k += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        k += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes `text` for a path segment or a query value.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_decode_and_encode_round_trips() {
        let f = Form::parse("a=1&b=x+y%2Fz&a=2&c=%E2%9C%93&d=%zz&e=%4");
        assert_eq!(f.get("a"), Some("1"));
        assert_eq!(f.all("a"), ["1", "2"]);
        assert_eq!(f.get("b"), Some("x y/z"));
        assert_eq!(f.get("c"), Some("✓"));
        assert_eq!(f.get("d"), Some("%zz"));
        assert_eq!(f.get("e"), Some("%4"));
        assert_eq!(f.get("missing"), None);
        let text = "moscow seed 7/../ü";
        assert_eq!(decode(&encode(text)), text);
    }
}

//! The console's own addresses: where a link to a group or an appliance
//! goes. (The API's addresses are `api`'s business alone.)

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What JavaScript's `encodeURIComponent` leaves as it is, so that links
/// read the same as the ones a browser or a test would build.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// The page of the group with this id.
pub fn group(id: i64) -> String {
    format!("/groups/{id}")
}

/// The editor of the group with this id.
pub fn group_edit(id: i64) -> String {
    format!("/groups/{id}/edit")
}

/// The form that creates a group.
pub fn new_group() -> &'static str {
    "/groups/new"
}

/// The appliances list with this view's query (from
/// [`crate::listing::View::to_query`]).
pub fn appliances(query: &[(&str, String)]) -> String {
    if query.is_empty() {
        return "/appliances".into();
    }
    let text = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())))
        .finish();
    format!("/appliances?{text}")
}

/// The page of the appliance with this serial.
///
/// The serial is encoded twice over: leptos_router decodes a path with `decodeURI` when it
/// takes it from the address bar or from a clicked link, and then decodes each parameter again.
/// Encoded once, a serial holding `%2e` would arrive as `.`; encoded twice it arrives as it is.
/// Serials of letters, digits and dashes, the usual ones, read the same either way.
pub fn appliance(serial: &str) -> String {
    let once = utf8_percent_encode(serial, COMPONENT).to_string();
    format!("/appliances/{}", once.replace('%', "%25"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn links() {
        assert_eq!(super::group(7), "/groups/7");
        assert_eq!(super::appliances(&[]), "/appliances");
        let view = [("q", "a b&c".to_string()), ("sort", "serial".to_string())];
        assert_eq!(
            super::appliances(&view),
            "/appliances?q=a+b%26c&sort=serial"
        );
        assert_eq!(super::group_edit(7), "/groups/7/edit");
        let rows = [
            ("SN-0001", "/appliances/SN-0001"),
            ("a b/c?d", "/appliances/a%2520b%252Fc%253Fd"),
            ("x*(y)!~'", "/appliances/x*(y)!~'"),
            ("zürich", "/appliances/z%25C3%25BCrich"),
            // What the router makes of it: decodeURI, then a parameter's decoding.
            ("EC-%2e%2e", "/appliances/EC-%25252e%25252e"),
        ];
        for (serial, want) in rows {
            assert_eq!(super::appliance(serial), want);
        }
    }
}

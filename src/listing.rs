//! What the appliances list and the membership matrix show: the search,
//! the sort, the "in no group" filter and the page, read from and written
//! to the address's query, and the rows they select.
//!
//! Rows are indexed once (lowercased name and serial) so that a keystroke
//! costs one pass of substring tests over 10,000 rows, and only one page
//! of rows is ever rendered.

use model::Appliance;
use std::cmp::Ordering;

/// Rows on one page of the appliances list.
pub const PAGE_SIZE: usize = 100;

/// The column a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Column {
    #[default]
    Name,
    Serial,
    Groups,
}

impl Column {
    /// The column's name in the address.
    pub fn key(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Serial => "serial",
            Column::Groups => "groups",
        }
    }

    fn from_key(key: &str) -> Option<Column> {
        [Column::Name, Column::Serial, Column::Groups]
            .into_iter()
            .find(|c| c.key() == key)
    }
}

/// A list's view, as the address's query says it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct View {
    /// Text that the name or the serial contains, in any case.
    pub search: String,
    pub sort: Column,
    pub descending: bool,
    /// Only appliances that belong to no group.
    pub no_group: bool,
    /// The page shown, from 0.
    pub page: usize,
}

impl View {
    /// The view of a query's pairs (`q`, `sort`, `order`, `ungrouped`,
    /// `page`); anything unknown or malformed falls back to the default.
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> View {
        let mut view = View::default();
        for (key, value) in pairs {
            match key {
                "q" => view.search = value.to_string(),
                "sort" => view.sort = Column::from_key(value).unwrap_or_default(),
                "order" => view.descending = value == "desc",
                "ungrouped" => view.no_group = value == "1",
                "page" => {
                    view.page = value.parse::<usize>().map_or(0, |p| p.saturating_sub(1));
                }
                _ => {}
            }
        }
        view
    }

    /// The query's pairs of this view, leaving out defaults, so the plain
    /// list has a plain address.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.search.is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        if self.sort != Column::Name {
            pairs.push(("sort", self.sort.key().to_string()));
        }
        if self.descending {
            pairs.push(("order", "desc".to_string()));
        }
        if self.no_group {
            pairs.push(("ungrouped", "1".to_string()));
        }
        if self.page > 0 {
            pairs.push(("page", (self.page + 1).to_string()));
        }
        pairs
    }

    /// The view sorted by `column`: ascending first, descending when it is
    /// already sorted by it ascending. Back to the first page.
    pub fn sorted_by(&self, column: Column) -> View {
        View {
            descending: self.sort == column && !self.descending,
            sort: column,
            page: 0,
            ..self.clone()
        }
    }
}

/// One appliance as the list sorts and searches it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub serial: String,
    pub name: String,
    /// The number of groups it belongs to.
    pub groups: usize,
    name_key: String,
    haystack: String,
}

impl Row {
    pub fn new(appliance: &Appliance, groups: usize) -> Row {
        let name = appliance.display_name().to_string();
        let name_key = name.to_lowercase();
        let haystack = format!("{name_key}\n{}", appliance.serial.to_lowercase());
        Row {
            serial: appliance.serial.clone(),
            name,
            groups,
            name_key,
            haystack,
        }
    }

    fn matches(&self, needle: &str) -> bool {
        needle.is_empty() || self.haystack.contains(needle)
    }
}

/// The indices into `rows` that `view` selects, in its order (all pages).
pub fn select(rows: &[Row], view: &View) -> Vec<usize> {
    let needle = view.search.trim().to_lowercase();
    let mut picked: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].matches(&needle) && (!view.no_group || rows[i].groups == 0))
        .collect();
    let by = |a: &Row, b: &Row| -> Ordering {
        let key = match view.sort {
            Column::Name => a.name_key.cmp(&b.name_key),
            Column::Serial => Ordering::Equal,
            Column::Groups => a.groups.cmp(&b.groups),
        };
        key.then_with(|| a.serial.cmp(&b.serial))
    };
    picked.sort_by(|&a, &b| {
        let o = by(&rows[a], &rows[b]);
        if view.descending {
            o.reverse()
        } else {
            o
        }
    });
    picked
}

/// The number of pages of `size` rows for `count` rows (at least one).
pub fn pages(count: usize, size: usize) -> usize {
    count.div_ceil(size.max(1)).max(1)
}

/// The slice of `picked` on `page` of `size` rows, clamped to the last
/// page, with the page's number.
pub fn page_of(picked: &[usize], page: usize, size: usize) -> (usize, &[usize]) {
    let size = size.max(1);
    let page = page.min(pages(picked.len(), size) - 1);
    let start = page * size;
    let end = (start + size).min(picked.len());
    (page, &picked[start.min(end)..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows() -> Vec<Row> {
        [
            ("SN-3", "bravo", 2),
            ("SN-1", "Alpha", 0),
            ("SN-2", "charlie", 1),
            ("XY-9", "", 0),
        ]
        .iter()
        .map(|(serial, name, groups)| {
            let mut a = json!({ "serial": serial });
            if !name.is_empty() {
                a["name"] = json!(name);
            }
            Row::new(&serde_json::from_value(a).unwrap(), *groups)
        })
        .collect()
    }

    fn serials(rows: &[Row], view: &View) -> Vec<String> {
        select(rows, view)
            .into_iter()
            .map(|i| rows[i].serial.clone())
            .collect()
    }

    #[test]
    fn search_sort_and_filter() {
        let rows = rows();
        let table: &[(&str, &[&str])] = &[
            ("", &["SN-1", "SN-3", "SN-2", "XY-9"]),
            ("q=ALP", &["SN-1"]),
            ("q=sn-", &["SN-1", "SN-3", "SN-2"]),
            ("q=%20xy%20", &["XY-9"]),
            ("q=nothing", &[]),
            ("sort=serial", &["SN-1", "SN-2", "SN-3", "XY-9"]),
            ("sort=serial&order=desc", &["XY-9", "SN-3", "SN-2", "SN-1"]),
            ("sort=groups", &["SN-1", "XY-9", "SN-2", "SN-3"]),
            ("ungrouped=1", &["SN-1", "XY-9"]),
            ("ungrouped=1&q=xy", &["XY-9"]),
            (
                "sort=bogus&order=up&ungrouped=yes",
                &["SN-1", "SN-3", "SN-2", "XY-9"],
            ),
        ];
        for (query, want) in table {
            let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect();
            let view = View::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            assert_eq!(serials(&rows, &view), *want, "{query}");
        }
    }

    #[test]
    fn the_query_round_trips_and_leaves_out_defaults() {
        assert!(View::default().to_query().is_empty());
        let view = View {
            search: "a b&c".into(),
            sort: Column::Groups,
            descending: true,
            no_group: true,
            page: 2,
        };
        let pairs = view.to_query();
        let back = View::from_query(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, view);
        assert_eq!(View::from_query([("page", "0")]).page, 0);
        assert_eq!(View::from_query([("page", "x")]).page, 0);
    }

    #[test]
    fn sorting_by_a_column_twice_reverses_it() {
        let v = View {
            page: 3,
            ..View::default()
        };
        let by_serial = v.sorted_by(Column::Serial);
        assert_eq!(
            (by_serial.sort, by_serial.descending, by_serial.page),
            (Column::Serial, false, 0)
        );
        let again = by_serial.sorted_by(Column::Serial);
        assert!(again.descending);
        assert!(!again.sorted_by(Column::Serial).descending);
        assert!(!again.sorted_by(Column::Name).descending);
    }

    #[test]
    fn pages_are_clamped() {
        let picked: Vec<usize> = (0..250).collect();
        assert_eq!(pages(0, 100), 1);
        assert_eq!(pages(250, 100), 3);
        let (p, rows) = page_of(&picked, 1, 100);
        assert_eq!((p, rows.len(), rows[0]), (1, 100, 100));
        let (p, rows) = page_of(&picked, 9, 100);
        assert_eq!((p, rows.len(), rows[0]), (2, 50, 200));
        assert_eq!(page_of(&[], 4, 100), (0, &[][..]));
        assert_eq!(page_of(&picked, 0, 0).1.len(), 1);
    }
}

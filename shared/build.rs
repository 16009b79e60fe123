//! Turns `data/airports.csv` into a compact, code-sorted table at compile time:
//! no CSV parsing at run time, and no pointer per string in the binary.

use std::fmt::Write as _;
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=data/airports.csv");
    println!("cargo:rerun-if-changed=build.rs");
    let csv =
        fs::read_to_string("data/airports.csv").expect("shared/data/airports.csv is readable");
    let mut blob = Blob::default();
    let mut rows = String::from(
        "/// Every airport with an IATA code, sorted by code.\nstatic AIRPORTS: &[Airport] = &[\n",
    );
    let mut last = String::new();
    let mut names = NameTable::default();
    for (n, line) in csv.lines().enumerate().skip(1) {
        let f = split_csv(line);
        assert_eq!(f.len(), 10, "line {}: expected 10 columns", n + 1);
        let (code, name, city, subd, country, lat, lon, tz) =
            (&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]);
        let service: u8 = f[8].parse().expect("service rank 0-3");
        let served = &f[9];
        assert!(
            *code > last,
            "line {}: codes must be sorted and unique",
            n + 1
        );
        last = code.clone();
        let lat: f32 = lat.parse().expect("latitude");
        let lon: f32 = lon.parse().expect("longitude");
        names.add(code, city, served, name);
        let spans = [name, city, subd, country, tz, &fold(city), &fold(name)].map(|s| blob.span(s));
        writeln!(
            rows,
            "    Airport {{ code: IataCode::from_static(b{code:?}), lat: {lat:?}, lon: {lon:?}, service: {service}, name: {}, city: {}, subdivision: {}, country: {}, tz: {}, folded_city: {}, folded_name: {} }},",
            spans[0], spans[1], spans[2], spans[3], spans[4], spans[5], spans[6]
        )
        .expect("write to string");
    }
    rows.push_str("];\n");
    names.write(&mut rows, &mut blob);
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).to_path_buf();
    fs::write(out.join("airports.rs"), rows).expect("write airports.rs");
    fs::write(out.join("airports.txt"), blob.text).expect("write airports.txt");
}

/// Every name of an airport (its city, the cities it serves, its name with
/// and without "airport"), folded, with how each airport matched it: the
/// index the understanding searches by binary search instead of building a
/// map at start-up (about 40 ms of a cold start).
#[derive(Default)]
struct NameTable {
    /// Folded name → (airport code, how it matched: 1 city, 2 served, 4 name).
    names: std::collections::BTreeMap<String, Vec<(String, u8)>>,
}

impl NameTable {
    fn add(&mut self, code: &str, city: &str, served: &str, name: &str) {
        let parts = |text: &str| -> Vec<String> {
            fold(text)
                .split(['/', ','])
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect()
        };
        let folded_name = fold(name);
        let short = folded_name
            .strip_suffix(" international airport")
            .or_else(|| folded_name.strip_suffix(" airport"))
            .filter(|s| s.contains(' '))
            .map(str::to_owned);
        let matches = parts(city)
            .into_iter()
            .map(|k| (k, 1))
            .chain(parts(served).into_iter().map(|k| (k, 2)))
            .chain(
                std::iter::once(folded_name.clone())
                    .chain(short)
                    .map(|k| (k, 4)),
            );
        for (key, how) in matches {
            let list = self.names.entry(key).or_default();
            match list.iter_mut().find(|(c, _)| c == code) {
                Some(entry) => entry.1 |= how,
                None => list.push((code.to_owned(), how)),
            }
        }
    }

    fn write(self, out: &mut String, blob: &mut Blob) {
        let mut entries = String::from(
            "/// Airports of every name, grouped by name in `NAMES` order.\nstatic NAME_ENTRIES: &[NameEntry] = &[\n",
        );
        let mut names = String::from(
            "/// Every folded airport, city and served-city name, sorted: the name and its run of `NAME_ENTRIES`.\nstatic NAMES: &[(Span, u32, u16)] = &[\n",
        );
        let mut at = 0u32;
        for (key, list) in self.names {
            let span = blob.span(&key);
            writeln!(names, "    ({span}, {at}, {}),", list.len()).expect("write to string");
            for (code, how) in &list {
                writeln!(
                    entries,
                    "    NameEntry {{ code: IataCode::from_static(b{code:?}), how: {how} }},"
                )
                .expect("write to string");
            }
            at += u32::try_from(list.len()).expect("fewer than 4 billion entries");
        }
        out.push_str(&names);
        out.push_str("];\n");
        out.push_str(&entries);
        out.push_str("];\n");
    }
}

/// Every string of the table, concatenated once, identical strings shared
/// (time zones, countries, regions), so rows hold offsets instead of
/// pointers: no relocation per string for the loader to apply at start-up.
#[derive(Default)]
struct Blob {
    text: String,
    seen: std::collections::HashMap<String, String>,
}

impl Blob {
    fn span(&mut self, s: &str) -> String {
        if let Some(span) = self.seen.get(s) {
            return span.clone();
        }
        // One u32 per string: the offset in the high 20 bits, the length in
        // the low 12 (the blob is about 0.5 MB; the longest name under 200 bytes).
        assert!(
            self.text.len() < 1 << 20,
            "the airport blob outgrew 20-bit offsets"
        );
        assert!(s.len() < 1 << 12, "a name outgrew 12-bit lengths: {s}");
        let span = format!("Span({})", (self.text.len() << 12) | s.len());
        self.text.push_str(s);
        self.seen.insert(s.to_owned(), span.clone());
        span
    }
}

/// Lower case, accents removed: the same folding `places::fold` applies to queries.
fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// Splits one line of RFC 4180 CSV (quoted fields may hold commas and doubled quotes).
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

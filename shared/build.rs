//! Turns `data/airports.csv` into a compact, code-sorted table at compile time:
//! no CSV parsing at run time, and no pointer per string in the binary.

use std::fmt::Write as _;
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=data/airports.csv");
    let csv =
        fs::read_to_string("data/airports.csv").expect("shared/data/airports.csv is readable");
    let mut blob = Blob::default();
    let mut rows = String::from(
        "/// Every airport with an IATA code, sorted by code.\nstatic AIRPORTS: &[Airport] = &[\n",
    );
    let mut last = String::new();
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
        let spans = [
            name,
            city,
            subd,
            country,
            tz,
            &fold(city),
            &fold(name),
            &fold(served),
        ]
        .map(|s| blob.span(s));
        writeln!(
            rows,
            "    Airport {{ code: IataCode::from_static(b{code:?}), lat: {lat:?}, lon: {lon:?}, service: {service}, name: {}, city: {}, subdivision: {}, country: {}, tz: {}, folded_city: {}, folded_name: {}, folded_served: {} }},",
            spans[0], spans[1], spans[2], spans[3], spans[4], spans[5], spans[6], spans[7]
        )
        .expect("write to string");
    }
    rows.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).to_path_buf();
    fs::write(out.join("airports.rs"), rows).expect("write airports.rs");
    fs::write(out.join("airports.txt"), blob.text).expect("write airports.txt");
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
        let span = format!("Span({}, {})", self.text.len(), s.len());
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

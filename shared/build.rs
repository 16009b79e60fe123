//! Turns `data/airports.csv` into a static, code-sorted table at compile time,
//! so the airport list costs nothing at cold start (no parsing, no allocation).

use std::fmt::Write as _;
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=data/airports.csv");
    let csv =
        fs::read_to_string("data/airports.csv").expect("shared/data/airports.csv is readable");
    let mut out = String::from(
        "/// Every airport with an IATA code, sorted by code.\npub(crate) static AIRPORTS: &[Airport] = &[\n",
    );
    let mut last = String::new();
    for (n, line) in csv.lines().enumerate().skip(1) {
        let f = split_csv(line);
        assert_eq!(f.len(), 8, "line {}: expected 8 columns", n + 1);
        let (code, name, city, subd, country, lat, lon, tz) =
            (&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]);
        assert!(
            *code > last,
            "line {}: codes must be sorted and unique",
            n + 1
        );
        last = code.clone();
        let lat: f64 = lat.parse().expect("latitude");
        let lon: f64 = lon.parse().expect("longitude");
        let folded_city = fold(city);
        let folded_name = fold(name);
        writeln!(
            out,
            "    Airport {{ code: IataCode::from_static(b{code:?}), name: {name:?}, city: {city:?}, subdivision: {subd:?}, country: {country:?}, lat: {lat:?}, lon: {lon:?}, tz: {tz:?}, folded_city: {folded_city:?}, folded_name: {folded_name:?} }},"
        )
        .expect("write to string");
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("airports.rs");
    fs::write(dest, out).expect("write airports.rs");
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

//! Metropolitan areas, Portuguese and English aliases, and the major airports.
//!
//! Metro codes follow IATA's multi-airport city codes (the `iata_macs` list of
//! `airportsdata`), widened where travellers expect it: NYC includes Newark,
//! LON includes Southend, PAR includes Beauvais. The first airport of each
//! metro is its main international gateway.

use crate::domain::IataCode;

/// A metropolitan area served by several airports.
#[derive(Debug)]
pub struct Metro {
    /// IATA city code.
    pub code: IataCode,
    /// Name in English.
    pub name: &'static str,
    /// Name in Portuguese.
    pub name_pt: &'static str,
    /// ISO 3166-1 alpha-2 country code.
    pub country: &'static str,
    /// Member airports, main international gateway first.
    pub airports: &'static [IataCode],
    /// Other names travellers use, already folded (lower case, no accents).
    pub aliases: &'static [&'static str],
}

const fn c(code: &[u8; 3]) -> IataCode {
    IataCode::from_static(code)
}

macro_rules! metro {
    ($code:literal, $en:literal, $pt:literal, $cc:literal, [$($a:literal),+], [$($alias:literal),*]) => {
        Metro { code: c($code), name: $en, name_pt: $pt, country: $cc, airports: &[$(c($a)),+], aliases: &[$($alias),*] }
    };
}

/// Every metropolitan area, by code.
pub static METROS: &[Metro] = &[
    metro!(
        b"BHZ",
        "Belo Horizonte",
        "Belo Horizonte",
        "BR",
        [b"CNF", b"PLU"],
        ["bh", "beaga"]
    ),
    metro!(
        b"BJS",
        "Beijing",
        "Pequim",
        "CN",
        [b"PEK", b"PKX"],
        ["peking"]
    ),
    metro!(
        b"BUE",
        "Buenos Aires",
        "Buenos Aires",
        "AR",
        [b"EZE", b"AEP"],
        []
    ),
    metro!(b"CHI", "Chicago", "Chicago", "US", [b"ORD", b"MDW"], []),
    metro!(
        b"DFW",
        "Dallas-Fort Worth",
        "Dallas-Fort Worth",
        "US",
        [b"DFW", b"DAL"],
        []
    ),
    metro!(b"HOU", "Houston", "Houston", "US", [b"IAH", b"HOU"], []),
    metro!(
        b"LON",
        "London",
        "Londres",
        "GB",
        [b"LHR", b"LGW", b"STN", b"LTN", b"LCY", b"SEN"],
        []
    ),
    metro!(
        b"MIL",
        "Milan",
        "Milão",
        "IT",
        [b"MXP", b"LIN", b"BGY"],
        ["milano"]
    ),
    metro!(
        b"MOW",
        "Moscow",
        "Moscou",
        "RU",
        [b"SVO", b"DME", b"VKO"],
        ["moskva"]
    ),
    metro!(
        b"NYC",
        "New York",
        "Nova York",
        "US",
        [b"JFK", b"EWR", b"LGA"],
        ["nova iorque", "new york city", "nyc"]
    ),
    metro!(b"OSA", "Osaka", "Osaka", "JP", [b"KIX", b"ITM"], []),
    metro!(b"PAR", "Paris", "Paris", "FR", [b"CDG", b"ORY", b"BVA"], []),
    metro!(b"REK", "Reykjavik", "Reykjavík", "IS", [b"KEF", b"RKV"], []),
    metro!(
        b"RIO",
        "Rio de Janeiro",
        "Rio de Janeiro",
        "BR",
        [b"GIG", b"SDU"],
        ["rio"]
    ),
    metro!(b"ROM", "Rome", "Roma", "IT", [b"FCO", b"CIA"], []),
    metro!(
        b"SAO",
        "Sao Paulo",
        "São Paulo",
        "BR",
        [b"GRU", b"CGH", b"VCP"],
        ["sampa", "sao paulo"]
    ),
    metro!(b"SEL", "Seoul", "Seul", "KR", [b"ICN", b"GMP"], []),
    metro!(b"SHA", "Shanghai", "Xangai", "CN", [b"PVG", b"SHA"], []),
    metro!(b"STO", "Stockholm", "Estocolmo", "SE", [b"ARN", b"BMA"], []),
    metro!(b"TYO", "Tokyo", "Tóquio", "JP", [b"HND", b"NRT"], []),
    metro!(
        b"WAS",
        "Washington",
        "Washington",
        "US",
        [b"IAD", b"DCA", b"BWI"],
        ["washington dc"]
    ),
    metro!(
        b"YMQ",
        "Montreal",
        "Montreal",
        "CA",
        [b"YUL", b"YMX"],
        ["montreal"]
    ),
    metro!(b"YTO", "Toronto", "Toronto", "CA", [b"YYZ", b"YTZ"], []),
];

/// Portuguese names and nicknames of single-airport cities and airports
/// (folded), with the code they mean.
pub static ALIASES: &[(&str, IataCode)] = &[
    ("amsterda", c(b"AMS")),
    ("assuncao", c(b"ASU")),
    ("atenas", c(b"ATH")),
    ("bruxelas", c(b"BRU")),
    ("charles de gaulle", c(b"CDG")),
    ("cidade do cabo", c(b"CPT")),
    ("cidade do mexico", c(b"MEX")),
    ("cidade do panama", c(b"PTY")),
    ("confins", c(b"CNF")),
    ("congonhas", c(b"CGH")),
    ("copenhague", c(b"CPH")),
    ("edimburgo", c(b"EDI")),
    ("florenca", c(b"FLR")),
    ("floripa", c(b"FLN")),
    ("galeao", c(b"GIG")),
    ("gatwick", c(b"LGW")),
    ("genebra", c(b"GVA")),
    ("guarulhos", c(b"GRU")),
    ("heathrow", c(b"LHR")),
    ("istambul", c(b"IST")),
    ("joanesburgo", c(b"JNB")),
    ("lisboa", c(b"LIS")),
    ("madri", c(b"MAD")),
    ("montevideu", c(b"MVD")),
    ("munique", c(b"MUC")),
    ("napoles", c(b"NAP")),
    ("nova delhi", c(b"DEL")),
    ("nova orleans", c(b"MSY")),
    ("orly", c(b"ORY")),
    ("pampulha", c(b"PLU")),
    ("porto", c(b"OPO")),
    ("praga", c(b"PRG")),
    ("santiago", c(b"SCL")),
    ("santiago do chile", c(b"SCL")),
    ("santos dumont", c(b"SDU")),
    ("sao francisco", c(b"SFO")),
    ("sevilha", c(b"SVQ")),
    ("varsovia", c(b"WAW")),
    ("veneza", c(b"VCE")),
    ("viena", c(b"VIE")),
    ("viracopos", c(b"VCP")),
    ("zurique", c(b"ZRH")),
];

/// Airports with a large international network: the hubs and gateways that
/// rank first in autocomplete and that the demo provider connects through.
/// Sorted, for binary search.
pub static MAJOR: &[IataCode] = &{
    let mut codes = [
        c(b"ADD"),
        c(b"AEP"),
        c(b"AGP"),
        c(b"AKL"),
        c(b"AMS"),
        c(b"ARN"),
        c(b"ASU"),
        c(b"ATH"),
        c(b"ATL"),
        c(b"AUH"),
        c(b"BCN"),
        c(b"BEL"),
        c(b"BER"),
        c(b"BKK"),
        c(b"BOG"),
        c(b"BOM"),
        c(b"BOS"),
        c(b"BRU"),
        c(b"BSB"),
        c(b"BUD"),
        c(b"CAI"),
        c(b"CCS"),
        c(b"CDG"),
        c(b"CGH"),
        c(b"CGK"),
        c(b"CLT"),
        c(b"CMN"),
        c(b"CNF"),
        c(b"CPH"),
        c(b"CPT"),
        c(b"CTG"),
        c(b"CUN"),
        c(b"CWB"),
        c(b"DCA"),
        c(b"DEL"),
        c(b"DEN"),
        c(b"DFW"),
        c(b"DKR"),
        c(b"DOH"),
        c(b"DTW"),
        c(b"DUB"),
        c(b"DUS"),
        c(b"DXB"),
        c(b"EDI"),
        c(b"EWR"),
        c(b"EZE"),
        c(b"FAO"),
        c(b"FCO"),
        c(b"FLL"),
        c(b"FLN"),
        c(b"FOR"),
        c(b"FRA"),
        c(b"GDL"),
        c(b"GIG"),
        c(b"GRU"),
        c(b"GVA"),
        c(b"GYE"),
        c(b"HAM"),
        c(b"HEL"),
        c(b"HKG"),
        c(b"HND"),
        c(b"HNL"),
        c(b"IAD"),
        c(b"IAH"),
        c(b"ICN"),
        c(b"IGU"),
        c(b"IST"),
        c(b"JED"),
        c(b"JFK"),
        c(b"JNB"),
        c(b"KEF"),
        c(b"KIX"),
        c(b"KUL"),
        c(b"LAD"),
        c(b"LAS"),
        c(b"LAX"),
        c(b"LGA"),
        c(b"LGW"),
        c(b"LHR"),
        c(b"LIM"),
        c(b"LIN"),
        c(b"LIS"),
        c(b"LOS"),
        c(b"LPB"),
        c(b"LYS"),
        c(b"MAD"),
        c(b"MAN"),
        c(b"MAO"),
        c(b"MBJ"),
        c(b"MCO"),
        c(b"MCZ"),
        c(b"MDE"),
        c(b"MDW"),
        c(b"MEL"),
        c(b"MEX"),
        c(b"MIA"),
        c(b"MNL"),
        c(b"MSP"),
        c(b"MTY"),
        c(b"MUC"),
        c(b"MVD"),
        c(b"MXP"),
        c(b"NAT"),
        c(b"NBO"),
        c(b"NCE"),
        c(b"NRT"),
        c(b"OPO"),
        c(b"ORD"),
        c(b"ORY"),
        c(b"OSL"),
        c(b"PDX"),
        c(b"PEK"),
        c(b"PHL"),
        c(b"PHX"),
        c(b"PKX"),
        c(b"PMI"),
        c(b"POA"),
        c(b"PRG"),
        c(b"PTY"),
        c(b"PUJ"),
        c(b"PVG"),
        c(b"REC"),
        c(b"RUH"),
        c(b"SAN"),
        c(b"SCL"),
        c(b"SDQ"),
        c(b"SDU"),
        c(b"SEA"),
        c(b"SFO"),
        c(b"SIN"),
        c(b"SJO"),
        c(b"SLC"),
        c(b"SSA"),
        c(b"SYD"),
        c(b"TLV"),
        c(b"TPA"),
        c(b"TPE"),
        c(b"UIO"),
        c(b"VCE"),
        c(b"VCP"),
        c(b"VIE"),
        c(b"VIX"),
        c(b"VVI"),
        c(b"WAW"),
        c(b"YUL"),
        c(b"YVR"),
        c(b"YYC"),
        c(b"YYZ"),
        c(b"ZRH"),
    ];
    // Sorted at compile time so the list above can stay readable.
    let mut i = 1;
    while i < codes.len() {
        let mut j = i;
        while j > 0 && less(&codes[j], &codes[j - 1]) {
            let t = codes[j];
            codes[j] = codes[j - 1];
            codes[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    codes
};

const fn less(a: &IataCode, b: &IataCode) -> bool {
    let (a, b) = (a.bytes(), b.bytes());
    a[0] < b[0] || (a[0] == b[0] && (a[1] < b[1] || (a[1] == b[1] && a[2] < b[2])))
}

/// The metro with this code.
pub fn metro(code: IataCode) -> Option<&'static Metro> {
    METROS.iter().find(|m| m.code == code)
}

/// The metro an airport belongs to, if any.
pub fn metro_of(airport: IataCode) -> Option<&'static Metro> {
    METROS.iter().find(|m| m.airports.contains(&airport))
}

/// Whether the airport is a hub or major international gateway.
pub fn is_major(code: IataCode) -> bool {
    MAJOR.binary_search(&code).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::airports::airport;

    #[test]
    fn every_listed_code_is_a_real_airport() {
        for m in METROS {
            for a in m.airports {
                assert!(airport(*a).is_some(), "{} lists unknown {a}", m.code);
            }
        }
        for (alias, code) in ALIASES {
            assert!(
                airport(*code).is_some() || metro(*code).is_some(),
                "{alias} → {code}"
            );
        }
        for code in MAJOR {
            assert!(airport(*code).is_some(), "major {code}");
        }
        assert!(
            MAJOR.windows(2).all(|w| w[0] < w[1]),
            "MAJOR sorted and unique"
        );
    }
}

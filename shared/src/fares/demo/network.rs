//! The demo airline network: carriers, their home countries and hubs, and the
//! routes they plausibly fly. Hubs are the carriers' real main bases; ranges
//! are the longest stage lengths of their fleets, rounded.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::domain::{Cabin, CarrierCode, IataCode};
use crate::places::{Airport, airport, distance_km, is_major, metro_of};

/// An airline of the demo network.
#[derive(Debug)]
pub(super) struct Carrier {
    pub code: CarrierCode,
    pub name: &'static str,
    /// ISO countries whose domestic airports it serves through its hubs.
    pub home: &'static [&'static str],
    pub hubs: &'static [IataCode],
    /// Longest nonstop segment it flies, in km.
    pub max_km: f64,
    /// Low-cost carriers sell cheaper fares without checked bags.
    pub low_cost: bool,
}

const fn i(code: &[u8; 3]) -> IataCode {
    IataCode::from_static(code)
}

macro_rules! carrier {
    ($code:literal, $name:literal, [$($home:literal),+], [$($hub:literal),+], $km:literal $(, $lc:ident)?) => {
        Carrier {
            code: CarrierCode::from_static($code),
            name: $name,
            home: &[$($home),+],
            hubs: &[$(i($hub)),+],
            max_km: $km as f64,
            low_cost: carrier!(@lc $($lc)?),
        }
    };
    (@lc) => { false };
    (@lc low_cost) => { true };
}

pub(super) static CARRIERS: &[Carrier] = &[
    carrier!(
        b"LA",
        "LATAM Airlines",
        ["BR", "CL", "PE", "CO", "EC"],
        [b"GRU", b"SCL", b"LIM", b"BOG"],
        14000
    ),
    carrier!(
        b"G3",
        "GOL",
        ["BR"],
        [b"GRU", b"CGH", b"GIG", b"BSB"],
        7000,
        low_cost
    ),
    carrier!(b"AD", "Azul", ["BR"], [b"VCP", b"CNF", b"REC"], 9000),
    carrier!(b"TP", "TAP Air Portugal", ["PT"], [b"LIS", b"OPO"], 11000),
    carrier!(b"IB", "Iberia", ["ES"], [b"MAD"], 11000),
    carrier!(b"UX", "Air Europa", ["ES"], [b"MAD"], 11000),
    carrier!(b"AF", "Air France", ["FR"], [b"CDG"], 13000),
    carrier!(b"KL", "KLM", ["NL"], [b"AMS"], 13000),
    carrier!(b"BA", "British Airways", ["GB"], [b"LHR", b"LGW"], 14000),
    carrier!(b"LH", "Lufthansa", ["DE"], [b"FRA", b"MUC"], 14000),
    carrier!(b"LX", "Swiss", ["CH"], [b"ZRH"], 12000),
    carrier!(b"AZ", "ITA Airways", ["IT"], [b"FCO"], 11000),
    carrier!(
        b"SK",
        "SAS",
        ["SE", "DK", "NO"],
        [b"CPH", b"ARN", b"OSL"],
        9000
    ),
    carrier!(b"AY", "Finnair", ["FI"], [b"HEL"], 10000),
    carrier!(b"LO", "LOT Polish Airlines", ["PL"], [b"WAW"], 9000),
    carrier!(b"EI", "Aer Lingus", ["IE"], [b"DUB"], 9000),
    carrier!(
        b"FR",
        "Ryanair",
        ["IE", "GB", "ES", "IT", "PT", "PL", "BE", "DE"],
        [b"DUB", b"STN", b"BGY", b"MAD"],
        4000,
        low_cost
    ),
    carrier!(
        b"U2",
        "easyJet",
        ["GB", "FR", "CH", "IT", "PT"],
        [b"LGW", b"LTN", b"GVA", b"MXP"],
        4000,
        low_cost
    ),
    carrier!(
        b"AA",
        "American Airlines",
        ["US"],
        [b"DFW", b"MIA", b"CLT", b"ORD", b"JFK", b"PHL"],
        14000
    ),
    carrier!(
        b"DL",
        "Delta Air Lines",
        ["US"],
        [b"ATL", b"JFK", b"DTW", b"MSP", b"SLC", b"LAX", b"SEA"],
        14000
    ),
    carrier!(
        b"UA",
        "United Airlines",
        ["US"],
        [b"EWR", b"ORD", b"IAH", b"SFO", b"DEN", b"IAD"],
        15000
    ),
    carrier!(
        b"B6",
        "JetBlue",
        ["US"],
        [b"JFK", b"BOS", b"FLL"],
        6000,
        low_cost
    ),
    carrier!(b"AC", "Air Canada", ["CA"], [b"YYZ", b"YUL", b"YVR"], 14000),
    carrier!(b"AM", "Aeromexico", ["MX"], [b"MEX"], 12000),
    carrier!(b"CM", "Copa Airlines", ["PA"], [b"PTY"], 6500),
    carrier!(b"AV", "Avianca", ["CO"], [b"BOG"], 9000),
    carrier!(
        b"AR",
        "Aerolineas Argentinas",
        ["AR"],
        [b"EZE", b"AEP"],
        11500
    ),
    carrier!(b"OB", "Boliviana de Aviacion", ["BO"], [b"VVI"], 4000),
    carrier!(b"FI", "Icelandair", ["IS"], [b"KEF"], 7000),
    carrier!(b"EK", "Emirates", ["AE"], [b"DXB"], 14500),
    carrier!(b"QR", "Qatar Airways", ["QA"], [b"DOH"], 15000),
    carrier!(b"TK", "Turkish Airlines", ["TR"], [b"IST"], 13500),
    carrier!(b"ET", "Ethiopian Airlines", ["ET"], [b"ADD"], 13000),
    carrier!(b"AT", "Royal Air Maroc", ["MA"], [b"CMN"], 9000),
    carrier!(b"DT", "TAAG Angola Airlines", ["AO"], [b"LAD"], 8000),
    carrier!(b"MS", "EgyptAir", ["EG"], [b"CAI"], 10000),
    carrier!(b"KQ", "Kenya Airways", ["KE"], [b"NBO"], 12000),
    carrier!(b"NH", "ANA", ["JP"], [b"HND", b"NRT"], 14000),
    carrier!(b"JL", "Japan Airlines", ["JP"], [b"HND", b"NRT"], 14000),
    carrier!(b"KE", "Korean Air", ["KR"], [b"ICN"], 14000),
    carrier!(b"CA", "Air China", ["CN"], [b"PEK"], 14000),
    carrier!(b"MU", "China Eastern", ["CN"], [b"PVG"], 14000),
    carrier!(b"CX", "Cathay Pacific", ["HK"], [b"HKG"], 15000),
    carrier!(b"SQ", "Singapore Airlines", ["SG"], [b"SIN"], 16500),
    carrier!(b"TG", "Thai Airways", ["TH"], [b"BKK"], 11000),
    carrier!(b"AI", "Air India", ["IN"], [b"DEL", b"BOM"], 14000),
    carrier!(b"QF", "Qantas", ["AU"], [b"SYD", b"MEL"], 15000),
    carrier!(b"NZ", "Air New Zealand", ["NZ"], [b"AKL"], 14000),
];

/// Shortest segment flown: below this, travellers drive (GRU–VCP is 80 km).
pub(super) const MIN_SEGMENT_KM: f64 = 150.0;

/// Whether the carrier sells tickets to and from this airport: its home
/// countries' airports, and the world's major gateways.
fn serves(c: &Carrier, a: &Airport) -> bool {
    c.home.contains(&a.country()) || is_major(a.code)
}

/// Beyond this distance a nonstop needs a market, not just a fleet that can
/// fly it: the same long-haul threshold the fare model uses.
const LONG_HAUL_KM: f64 = 4000.0;

/// Whether the carrier plausibly flies this segment nonstop: one end is its
/// hub, it serves both ends, the distance is within its fleet's range, and
/// a long-haul segment reaches a country it really flies long-haul to.
pub(super) fn flies(c: &Carrier, from: &Airport, to: &Airport) -> bool {
    let d = distance_km(from, to);
    let (from_hub, to_hub) = (c.hubs.contains(&from.code), c.hubs.contains(&to.code));
    let market = d <= LONG_HAUL_KM
        || (from_hub && to_hub)
        || (from_hub && flies_long_haul_to(c, to))
        || (to_hub && flies_long_haul_to(c, from));
    // Widebodies use a metro's main gateway, or a carrier's own hub there
    // (Azul at Viracopos): nobody flies Congonhas–Lisbon.
    let gateway = |a: &Airport, hub: bool| {
        hub || metro_of(a.code).is_none_or(|m| m.airports.first() == Some(&a.code))
    };
    let market = market && (d <= LONG_HAUL_KM || (gateway(from, from_hub) && gateway(to, to_hub)));
    (from_hub || to_hub)
        && serves(c, from)
        && serves(c, to)
        && (MIN_SEGMENT_KM..=c.max_km).contains(&d)
        && market
}

/// Whether the carrier sells this cabin: low-cost carriers sell economy
/// only (JetBlue's Mint and Azul's long-haul business aside), first class
/// is sold by few, premium economy by most long-haul network carriers.
pub(super) fn sells(c: &Carrier, cabin: Cabin) -> bool {
    let code = c.code.as_str();
    match cabin {
        Cabin::Economy => true,
        Cabin::PremiumEconomy => !c.low_cost && !NO_PREMIUM_ECONOMY.contains(&code),
        Cabin::Business => !c.low_cost || code == "B6",
        Cabin::First => FIRST_CLASS.contains(&code),
    }
}

/// Network carriers without a premium-economy cabin (2026 fleets).
const NO_PREMIUM_ECONOMY: &[&str] = &[
    "TP", "TK", "ET", "AT", "DT", "MS", "KQ", "OB", "CM", "AV", "AR", "AD", "QR", "KE", "EI", "FI",
];

/// Carriers that still sell a first-class cabin.
const FIRST_CLASS: &[&str] = &[
    "AF", "BA", "LH", "LX", "EK", "QR", "NH", "JL", "SQ", "CX", "AA", "QF", "AI", "KE",
];

/// The countries a carrier flies long-haul nonstops to from its hubs, from
/// its 2026 network; the Gulf and Istanbul carriers reach every major gateway.
fn flies_long_haul_to(c: &Carrier, airport: &Airport) -> bool {
    let country = airport.country();
    match long_haul_markets(c.code.as_str()) {
        None => is_major(airport.code),
        Some(list) => c.home.contains(&country) || list.contains(&country),
    }
}

fn long_haul_markets(code: &str) -> Option<&'static [&'static str]> {
    let list: &'static [&'static str] = match code {
        "EK" | "QR" | "TK" | "ET" => return None,
        "LA" => &[
            "US", "ES", "PT", "FR", "GB", "DE", "IT", "ZA", "AU", "NZ", "MX", "AR",
        ],
        "G3" | "AD" => &["US", "PT", "FR", "MX", "DO"],
        "TP" => &["BR", "US", "CA", "MX", "AO", "MZ"],
        "IB" | "UX" => &[
            "US", "MX", "AR", "BR", "CL", "CO", "PE", "EC", "UY", "CR", "PA", "GT", "DO", "PR",
            "CU", "JP",
        ],
        "AF" | "KL" | "BA" | "LH" => &[
            "US", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "JP", "CN", "KR", "IN", "SG", "TH",
            "ZA", "NG", "KE", "HK", "AE",
        ],
        "LX" | "AZ" | "SK" | "AY" | "LO" => &["US", "CA", "BR", "JP", "CN", "KR", "IN", "SG", "TH"],
        "EI" | "FI" | "B6" => &["US", "CA", "GB", "IE", "FR", "NL", "IS"],
        "AA" | "DL" | "UA" | "AC" => &[
            "GB", "IE", "ES", "PT", "FR", "DE", "IT", "NL", "CH", "GR", "JP", "KR", "CN", "IN",
            "AU", "NZ", "BR", "AR", "CL", "CO", "PE", "EC", "ZA", "US", "CA", "MX",
        ],
        "AM" | "CM" | "AV" | "AR" => &["US", "CA", "ES", "FR", "GB", "IT", "BR", "AR", "CL", "PE"],
        "AT" | "DT" | "MS" | "KQ" => &["US", "CA", "BR", "PT", "CN", "GB", "FR", "NL"],
        "NH" | "JL" | "KE" => &[
            "US", "CA", "MX", "GB", "FR", "DE", "FI", "IT", "AU", "SG", "TH", "IN", "ID", "VN",
        ],
        "CA" | "MU" | "CX" | "SQ" | "TG" | "AI" => &[
            "US", "CA", "GB", "FR", "DE", "IT", "ES", "NL", "CH", "AU", "NZ", "JP", "IN", "ZA",
        ],
        "QF" | "NZ" => &["US", "CA", "GB", "JP", "SG", "IN", "ZA", "CL"],
        _ => &[],
    };
    Some(list)
}

/// One way to fly from an origin to a destination: the airports in order and
/// the carrier of each segment.
#[derive(Debug, Clone)]
pub(super) struct Routing {
    pub airports: Vec<&'static Airport>,
    pub carriers: Vec<&'static Carrier>,
}

impl Routing {
    pub fn stops(&self) -> usize {
        self.carriers.len() - 1
    }
    fn flown_km(&self) -> f64 {
        self.airports
            .windows(2)
            .map(|w| distance_km(w[0], w[1]))
            .sum()
    }
}

/// How far out of the way a connection may go: flown distance within 40% of
/// the great-circle plus 300 km (the detour hub-and-spoke travellers accept;
/// GRU–MAD–LIS is 11% longer than GRU–LIS, GRU–PTY–LIS is 70% longer).
fn acceptable(flown: f64, direct: f64, stops: usize) -> bool {
    let slack = if stops >= 2 { 1.6 } else { 1.4 };
    flown <= direct * slack + 300.0
}

/// Most connecting routings offered per airport pair.
const MAX_CONNECTIONS: usize = 6;

/// Routings by (origin, destination) airport.
type RoutingMemo = HashMap<(IataCode, IataCode), Arc<[Routing]>>;

/// Airport pairs whose routings are remembered; past this the memo starts over.
const ROUTINGS_KEPT: usize = 4096;

/// The routings between two airports, computed once per pair: the network
/// is fixed, and one search with a price insight asks for the same pairs
/// fifteen times (today and fourteen modelled past days).
pub(super) fn routings(from: &'static Airport, to: &'static Airport) -> Arc<[Routing]> {
    static MEMO: OnceLock<Mutex<RoutingMemo>> = OnceLock::new();
    let memo = MEMO.get_or_init(Mutex::default);
    let lock = || {
        memo.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    let key = (from.code, to.code);
    if let Some(found) = lock().get(&key) {
        return found.clone();
    }
    let computed: Arc<[Routing]> = compute_routings(from, to).into();
    let mut map = lock();
    if map.len() >= ROUTINGS_KEPT {
        map.clear();
    }
    map.insert(key, computed.clone());
    computed
}

/// The routings the demo network offers between two airports: nonstops,
/// then single-carrier connections through a hub, then (only when those are
/// missing) two-stop itineraries across carriers.
fn compute_routings(from: &'static Airport, to: &'static Airport) -> Vec<Routing> {
    let direct = distance_km(from, to);
    if direct < MIN_SEGMENT_KM {
        return Vec::new();
    }
    let mut out: Vec<Routing> = CARRIERS
        .iter()
        .filter(|c| flies(c, from, to))
        .map(|c| Routing {
            airports: vec![from, to],
            carriers: vec![c],
        })
        .collect();

    let mut connections: Vec<(f64, Routing)> = Vec::new();
    for c in CARRIERS {
        for hub in c.hubs.iter().filter_map(|h| airport(*h)) {
            if hub.code == from.code
                || hub.code == to.code
                || !flies(c, from, hub)
                || !flies(c, hub, to)
            {
                continue;
            }
            let r = Routing {
                airports: vec![from, hub, to],
                carriers: vec![c, c],
            };
            let flown = r.flown_km();
            if acceptable(flown, direct, 1) {
                connections.push((flown, r));
            }
        }
    }
    connections.sort_by(|a, b| a.0.total_cmp(&b.0));
    out.extend(
        connections
            .into_iter()
            .take(MAX_CONNECTIONS)
            .map(|(_, r)| r),
    );

    if out.len() < 2 {
        out.extend(two_stop(from, to, direct));
    }
    out
}

/// Two-stop itineraries: a carrier from the origin's country to one of its
/// hubs, a long segment between hubs, and a carrier from there to the
/// destination.
fn two_stop(from: &'static Airport, to: &'static Airport, direct: f64) -> Vec<Routing> {
    let mut found: Vec<(f64, Routing)> = Vec::new();
    for c1 in CARRIERS.iter().filter(|c| serves(c, from)) {
        for h1 in c1.hubs.iter().filter_map(|h| airport(*h)) {
            if h1.code == from.code || !flies(c1, from, h1) {
                continue;
            }
            for c2 in CARRIERS.iter().filter(|c| serves(c, to)) {
                for h2 in c2.hubs.iter().filter_map(|h| airport(*h)) {
                    if h2.code == to.code || h2.code == h1.code || !flies(c2, h2, to) {
                        continue;
                    }
                    let middle = if flies(c1, h1, h2) {
                        c1
                    } else if flies(c2, h1, h2) {
                        c2
                    } else {
                        continue;
                    };
                    let r = Routing {
                        airports: vec![from, h1, h2, to],
                        carriers: vec![c1, middle, c2],
                    };
                    let flown = r.flown_km();
                    if acceptable(flown, direct, 2) {
                        found.push((flown, r));
                    }
                }
            }
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    found.into_iter().take(3).map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ap(code: &[u8; 3]) -> &'static Airport {
        airport(IataCode::from_static(code)).unwrap()
    }

    fn describe(rs: &[Routing]) -> Vec<String> {
        rs.iter()
            .map(|r| {
                let path: Vec<&str> = r.airports.iter().map(|a| a.code.as_str()).collect();
                format!("{}:{}", r.carriers[0].code, path.join("-"))
            })
            .collect()
    }

    #[test]
    fn sao_paulo_lisbon_has_nonstops_by_latam_and_tap_and_connections() {
        let rs = routings(ap(b"GRU"), ap(b"LIS"));
        let d = describe(&rs);
        assert!(d.contains(&"LA:GRU-LIS".to_owned()), "{d:?}");
        assert!(d.contains(&"TP:GRU-LIS".to_owned()), "{d:?}");
        assert!(d.contains(&"IB:GRU-MAD-LIS".to_owned()), "{d:?}");
    }

    #[test]
    fn small_domestic_airport_connects_through_a_national_hub() {
        // Ilhéus (IOS, Bahia) has no flights abroad: Lisbon is reached through a Brazilian hub.
        let rs = routings(ap(b"IOS"), ap(b"LIS"));
        assert!(!rs.is_empty());
        assert!(rs.iter().all(|r| r.stops() >= 1));
        assert!(
            describe(&rs)
                .iter()
                .any(|d| d.contains("GRU") || d.contains("VCP")),
            "{:?}",
            describe(&rs)
        );
    }

    #[test]
    fn tokyo_lisbon_has_no_nonstop_because_no_carrier_has_that_market() {
        let rs = routings(ap(b"NRT"), ap(b"LIS"));
        assert!(!rs.is_empty(), "connections remain");
        assert!(rs.iter().all(|r| r.stops() >= 1), "{:?}", describe(&rs));
        assert!(
            routings(ap(b"HND"), ap(b"LHR"))
                .iter()
                .any(|r| r.stops() == 0),
            "London has Japanese nonstops"
        );
    }

    #[test]
    fn low_cost_carriers_sell_only_their_cabins() {
        let carrier = |code: &str| CARRIERS.iter().find(|c| c.code.as_str() == code).unwrap();
        assert!(!sells(carrier("FR"), Cabin::Business));
        assert!(!sells(carrier("U2"), Cabin::PremiumEconomy));
        assert!(sells(carrier("FR"), Cabin::Economy));
        assert!(sells(carrier("B6"), Cabin::Business));
        assert!(sells(carrier("BA"), Cabin::First));
        assert!(!sells(carrier("TP"), Cabin::First));
    }

    #[test]
    fn neighbours_closer_than_a_flight_get_nothing() {
        assert!(routings(ap(b"GRU"), ap(b"VCP")).is_empty());
    }
}

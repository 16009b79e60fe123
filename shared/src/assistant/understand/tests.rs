//! The offline understanding on a table of Portuguese and English requests:
//! every slot must come out exactly right, and unspecified ones stay empty.
//! "Today" is Sunday 22 November 2026.

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn day(s: &str) -> DateSpec {
    DateSpec::Day(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

fn month(year: i32, month: u32) -> DateSpec {
    DateSpec::Month { year, month }
}

/// What a case expects; every field not set must come out `None`.
#[derive(Default)]
struct Want {
    from: Option<&'static str>,
    to: Option<&'static str>,
    dep: Option<DateSpec>,
    ret: Option<&'static str>,
    one_way: Option<bool>,
    adults: Option<u8>,
    children: Option<u8>,
    infants: Option<u8>,
    cabin: Option<Cabin>,
    budget: Option<(&'static str, Currency)>,
    stops: Option<u8>,
}

fn check(text: &str, want: Want) {
    let got = understand(text, today());
    let code = |p: Option<Place>| p.map(|p| p.code().to_string());
    assert_eq!(
        code(got.origin),
        want.from.map(str::to_owned),
        "origin of {text:?}"
    );
    assert_eq!(
        code(got.destination),
        want.to.map(str::to_owned),
        "destination of {text:?}"
    );
    assert_eq!(got.departure, want.dep, "departure of {text:?}");
    assert_eq!(got.return_date, want.ret.map(day), "return of {text:?}");
    assert_eq!(
        got.one_way,
        want.one_way.or(want.ret.map(|_| false)),
        "one way of {text:?}"
    );
    assert_eq!(got.adults, want.adults, "adults of {text:?}");
    assert_eq!(got.children, want.children, "children of {text:?}");
    assert_eq!(got.infants, want.infants, "infants of {text:?}");
    assert_eq!(got.cabin, want.cabin, "cabin of {text:?}");
    assert_eq!(
        got.budget,
        want.budget.map(|(a, c)| (a.parse().unwrap(), c)),
        "budget of {text:?}"
    );
    assert_eq!(got.max_stops, want.stops, "stops of {text:?}");
}

#[test]
fn places_in_portuguese_and_english() {
    let cases: Vec<(&str, Option<&str>, Option<&str>)> = vec![
        (
            "quero ir de São Paulo para Lisboa",
            Some("SAO"),
            Some("LIS"),
        ),
        ("de sampa pra lisboa", Some("SAO"), Some("LIS")),
        (
            "passagem de Nova York para Londres",
            Some("NYC"),
            Some("LON"),
        ),
        ("from New York to London", Some("NYC"), Some("LON")),
        ("from Lisbon to Sao Paulo", Some("LIS"), Some("SAO")),
        ("GRU-LIS", Some("GRU"), Some("LIS")),
        ("quero ir para Paris", None, Some("PAR")),
        ("saindo de Recife para Lisboa", Some("REC"), Some("LIS")),
        ("do Rio para Buenos Aires", Some("RIO"), Some("BUE")),
        ("Rio de Janeiro para Lisboa", Some("RIO"), Some("LIS")),
        ("de BH para Salvador", Some("BHZ"), Some("SSA")),
        ("de Floripa para Porto Alegre", Some("FLN"), Some("POA")),
        (
            "de Congonhas para o Santos Dumont",
            Some("CGH"),
            Some("SDU"),
        ),
        ("I want to fly to Tokyo", None, Some("TYO")),
        ("viajar para Tóquio", None, Some("TYO")),
        ("de Miami para Orlando", Some("MIA"), Some("MCO")),
        ("flights from Madrid to Rome", Some("MAD"), Some("ROM")),
        ("de Brasília pra Manaus", Some("BSB"), Some("MAO")),
        ("partindo de Campinas para Porto", Some("VCP"), Some("OPO")),
        ("quero viajar", None, None),
    ];
    for (text, from, to) in cases {
        let got = understand(text, today());
        assert_eq!(
            got.origin.map(|p| p.code().to_string()).as_deref(),
            from,
            "origin of {text:?}"
        );
        assert_eq!(
            got.destination.map(|p| p.code().to_string()).as_deref(),
            to,
            "destination of {text:?}"
        );
    }
}

#[test]
fn absolute_and_relative_dates() {
    let cases: Vec<(&str, Option<DateSpec>, Option<&str>)> = vec![
        ("quero ir dia 10 de março", Some(day("2027-03-10")), None),
        ("10 de março", Some(day("2027-03-10")), None),
        ("em 10/03", Some(day("2027-03-10")), None),
        ("on 03/10", Some(day("2027-03-10")), None),
        ("10/03/2027", Some(day("2027-03-10")), None),
        ("2027-03-10", Some(day("2027-03-10")), None),
        ("March 10", Some(day("2027-03-10")), None),
        ("on March 10th", Some(day("2027-03-10")), None),
        ("10 March", Some(day("2027-03-10")), None),
        ("5 de dezembro", Some(day("2026-12-05")), None),
        ("amanhã", Some(day("2026-11-23")), None),
        ("tomorrow", Some(day("2026-11-23")), None),
        ("depois de amanhã", Some(day("2026-11-24")), None),
        ("hoje à noite", Some(day("2026-11-22")), None),
        ("próxima sexta", Some(day("2026-11-27")), None),
        ("sexta que vem", Some(day("2026-11-27")), None),
        ("next Friday", Some(day("2026-11-27")), None),
        ("no sábado", Some(day("2026-11-28")), None),
        ("semana que vem", Some(day("2026-11-23")), None),
        ("próxima semana", Some(day("2026-11-23")), None),
        ("next week", Some(day("2026-11-23")), None),
        ("em março", Some(month(2027, 3)), None),
        ("in March", Some(month(2027, 3)), None),
        ("em dezembro", Some(month(2026, 12)), None),
        ("mês que vem", Some(month(2026, 12)), None),
        ("daqui a 2 semanas", Some(day("2026-12-06")), None),
        ("in 3 days", Some(day("2026-11-25")), None),
        (
            "de 10 a 20 de março",
            Some(day("2027-03-10")),
            Some("2027-03-20"),
        ),
        (
            "10 de março voltando dia 20",
            Some(day("2027-03-10")),
            Some("2027-03-20"),
        ),
        (
            "ida dia 5 de dezembro e volta dia 12",
            Some(day("2026-12-05")),
            Some("2026-12-12"),
        ),
        (
            "March 10, returning March 24",
            Some(day("2027-03-10")),
            Some("2027-03-24"),
        ),
        (
            "March 10 to 20",
            Some(day("2027-03-10")),
            Some("2027-03-20"),
        ),
        (
            "ida 10/03 volta 24/03",
            Some(day("2027-03-10")),
            Some("2027-03-24"),
        ),
        (
            "dia 28 de dezembro até 5 de janeiro",
            Some(day("2026-12-28")),
            Some("2027-01-05"),
        ),
    ];
    for (text, dep, ret) in cases {
        let got = understand(text, today());
        assert_eq!(got.departure, dep, "departure of {text:?}");
        assert_eq!(got.return_date, ret.map(day), "return of {text:?}");
    }
}

#[test]
fn passengers_cabin_budget_stops_and_trip_type() {
    check(
        "2 adultos",
        Want {
            adults: Some(2),
            ..Want::default()
        },
    );
    check(
        "2 adultos e 1 criança",
        Want {
            adults: Some(2),
            children: Some(1),
            ..Want::default()
        },
    );
    check(
        "eu e minha esposa",
        Want {
            adults: Some(2),
            ..Want::default()
        },
    );
    check(
        "me and my wife",
        Want {
            adults: Some(2),
            ..Want::default()
        },
    );
    check(
        "my wife and I",
        Want {
            adults: Some(2),
            ..Want::default()
        },
    );
    check(
        "3 adults and 2 kids",
        Want {
            adults: Some(3),
            children: Some(2),
            ..Want::default()
        },
    );
    check(
        "um adulto e um bebê",
        Want {
            adults: Some(1),
            infants: Some(1),
            ..Want::default()
        },
    );
    check(
        "eu e meus 2 filhos",
        Want {
            adults: Some(1),
            children: Some(2),
            ..Want::default()
        },
    );
    check(
        "somos um casal",
        Want {
            adults: Some(2),
            ..Want::default()
        },
    );
    check(
        "vou sozinho",
        Want {
            adults: Some(1),
            ..Want::default()
        },
    );
    check(
        "just me",
        Want {
            adults: Some(1),
            ..Want::default()
        },
    );
    check(
        "two adults",
        Want {
            adults: Some(2),
            ..Want::default()
        },
    );
    check(
        "em executiva",
        Want {
            cabin: Some(Cabin::Business),
            ..Want::default()
        },
    );
    check(
        "business class please",
        Want {
            cabin: Some(Cabin::Business),
            ..Want::default()
        },
    );
    check(
        "primeira classe",
        Want {
            cabin: Some(Cabin::First),
            ..Want::default()
        },
    );
    check(
        "first class",
        Want {
            cabin: Some(Cabin::First),
            ..Want::default()
        },
    );
    check(
        "premium economy",
        Want {
            cabin: Some(Cabin::PremiumEconomy),
            ..Want::default()
        },
    );
    check(
        "classe econômica",
        Want {
            cabin: Some(Cabin::Economy),
            ..Want::default()
        },
    );
    check(
        "até R$ 4.000",
        Want {
            budget: Some(("4000", Currency::BRL)),
            ..Want::default()
        },
    );
    check(
        "até 4 mil reais",
        Want {
            budget: Some(("4000", Currency::BRL)),
            ..Want::default()
        },
    );
    check(
        "no máximo R$ 3.500,50",
        Want {
            budget: Some(("3500.50", Currency::BRL)),
            ..Want::default()
        },
    );
    check(
        "under $500",
        Want {
            budget: Some(("500", Currency::USD)),
            ..Want::default()
        },
    );
    check(
        "up to 800 dollars",
        Want {
            budget: Some(("800", Currency::USD)),
            ..Want::default()
        },
    );
    check(
        "max €600",
        Want {
            budget: Some(("600", Currency::EUR)),
            ..Want::default()
        },
    );
    check(
        "até 2500",
        Want {
            budget: Some(("2500", Currency::BRL)),
            ..Want::default()
        },
    );
    check(
        "budget of 1,200 dollars",
        Want {
            budget: Some(("1200", Currency::USD)),
            ..Want::default()
        },
    );
    check(
        "voo direto",
        Want {
            stops: Some(0),
            ..Want::default()
        },
    );
    check(
        "sem escalas",
        Want {
            stops: Some(0),
            ..Want::default()
        },
    );
    check(
        "nonstop only",
        Want {
            stops: Some(0),
            ..Want::default()
        },
    );
    check(
        "direct flights",
        Want {
            stops: Some(0),
            ..Want::default()
        },
    );
    check(
        "até 1 escala",
        Want {
            stops: Some(1),
            ..Want::default()
        },
    );
    check(
        "max 1 stop",
        Want {
            stops: Some(1),
            ..Want::default()
        },
    );
    check(
        "só ida",
        Want {
            one_way: Some(true),
            ..Want::default()
        },
    );
    check(
        "one way",
        Want {
            one_way: Some(true),
            ..Want::default()
        },
    );
    check(
        "ida e volta",
        Want {
            one_way: Some(false),
            ..Want::default()
        },
    );
    check(
        "round trip",
        Want {
            one_way: Some(false),
            ..Want::default()
        },
    );
}

#[test]
fn whole_requests_come_out_exactly_right() {
    check(
        "quero ir de São Paulo para Lisboa em março, até R$ 4.000, 2 adultos",
        Want {
            from: Some("SAO"),
            to: Some("LIS"),
            dep: Some(month(2027, 3)),
            adults: Some(2),
            budget: Some(("4000", Currency::BRL)),
            ..Want::default()
        },
    );
    check(
        "passagem ida e volta do Rio para Paris de 10 a 20 de março em executiva",
        Want {
            from: Some("RIO"),
            to: Some("PAR"),
            dep: Some(day("2027-03-10")),
            ret: Some("2027-03-20"),
            cabin: Some(Cabin::Business),
            ..Want::default()
        },
    );
    check(
        "I need a flight from London to New York next Friday for 2 adults, nonstop, under $1,500",
        Want {
            from: Some("LON"),
            to: Some("NYC"),
            dep: Some(day("2026-11-27")),
            adults: Some(2),
            stops: Some(0),
            budget: Some(("1500", Currency::USD)),
            ..Want::default()
        },
    );
    check(
        "eu e minha esposa queremos ir de Recife para Lisboa dia 15 de janeiro voltando dia 30",
        Want {
            from: Some("REC"),
            to: Some("LIS"),
            dep: Some(day("2027-01-15")),
            ret: Some("2027-01-30"),
            adults: Some(2),
            ..Want::default()
        },
    );
    check(
        "voo direto de Congonhas pro Santos Dumont amanhã",
        Want {
            from: Some("CGH"),
            to: Some("SDU"),
            dep: Some(day("2026-11-23")),
            stops: Some(0),
            ..Want::default()
        },
    );
    check(
        "one way from Miami to Sao Paulo on March 10th, business class",
        Want {
            from: Some("MIA"),
            to: Some("SAO"),
            dep: Some(day("2027-03-10")),
            one_way: Some(true),
            cabin: Some(Cabin::Business),
            ..Want::default()
        },
    );
    check(
        "2 adultos e 2 crianças de BH para Orlando em julho",
        Want {
            from: Some("BHZ"),
            to: Some("MCO"),
            dep: Some(month(2027, 7)),
            adults: Some(2),
            children: Some(2),
            ..Want::default()
        },
    );
    check(
        "round trip from Lisbon to Tokyo March 10 to 24, premium economy",
        Want {
            from: Some("LIS"),
            to: Some("TYO"),
            dep: Some(day("2027-03-10")),
            ret: Some("2027-03-24"),
            cabin: Some(Cabin::PremiumEconomy),
            ..Want::default()
        },
    );
}

#[test]
fn refinements_change_only_what_the_traveller_changed() {
    let first = understand(
        "quero ir de São Paulo para Lisboa em março com 2 adultos",
        today(),
    );
    let april = first
        .clone()
        .merge(understand("e se for em abril?", today()));
    assert_eq!(april.departure, Some(month(2027, 4)));
    assert_eq!(
        (april.origin, april.destination, april.adults),
        (first.origin, first.destination, first.adults)
    );

    let three = april.clone().merge(understand("e com 3 adultos?", today()));
    assert_eq!(three.adults, Some(3));
    assert_eq!(three.departure, april.departure);

    let business = three.clone().merge(understand("e em executiva?", today()));
    assert_eq!(business.cabin, Some(Cabin::Business));
    assert_eq!(business.adults, Some(3));

    let from_rio = business
        .clone()
        .merge(understand("na verdade, saindo do Rio", today()));
    assert_eq!(
        from_rio.origin.map(|p| p.code().to_string()).as_deref(),
        Some("RIO")
    );
    assert_eq!(from_rio.destination, business.destination);

    let english = understand(
        "from Lisbon to London on March 10 returning March 20",
        today(),
    );
    let moved = english
        .clone()
        .merge(understand("what about April 5?", today()));
    assert_eq!(moved.departure, Some(day("2027-04-05")));
    assert_eq!(
        moved.return_date, None,
        "a new departure drops the old return"
    );
    assert_eq!(moved.destination, english.destination);
}

#[test]
fn missing_slots_are_asked_for_in_order() {
    assert_eq!(
        understand("quero viajar", today()).missing(),
        [Slot::Origin, Slot::Destination, Slot::Departure]
    );
    assert_eq!(
        understand("de São Paulo para Lisboa", today()).missing(),
        [Slot::Departure]
    );
    assert_eq!(
        understand("para Lisboa em março", today()).missing(),
        [Slot::Origin]
    );
    // "SP" is how Brazilians write São Paulo: nothing is missing.
    assert!(
        understand("de SP para Lisboa amanhã", today())
            .missing()
            .is_empty()
    );
    assert!(
        understand("de Sampa para Lisboa amanhã", today())
            .missing()
            .is_empty()
    );
}

#[test]
fn language_is_detected() {
    assert_eq!(detect_language("quero ir para Lisboa"), Lang::Pt);
    assert_eq!(detect_language("I want to go to Lisbon"), Lang::En);
    assert_eq!(detect_language("e se for em abril?"), Lang::Pt);
    assert_eq!(detect_language("what about April 5?"), Lang::En);
}

#[test]
fn abbreviated_months_need_a_day_and_ordinary_words_stay_words() {
    check(
        "ida 10 fev",
        Want {
            dep: Some(day("2027-02-10")),
            ..Want::default()
        },
    );
    check(
        "out 12",
        Want {
            dep: Some(day("2027-10-12")),
            ..Want::default()
        },
    );
    check(
        "in May",
        Want {
            dep: Some(month(2027, 5)),
            ..Want::default()
        },
    );
    check("I may fly out soon", Want::default());
    check("vou ao mar", Want::default());
}

/// The third development table's families, one case each (today is Sunday
/// 22 November 2026).
#[test]
fn return_weekdays_and_bare_days_follow_the_departure() {
    // A weekday for the return is the first after the departure, not today's.
    let got = understand("Miami to Orlando next Thursday, returning Sunday", today());
    assert_eq!(got.departure, Some(day("2026-11-26")));
    assert_eq!(got.return_date, Some(day("2026-11-29")));
    let got = understand(
        "de bh pra sp na segunda dia 7 de dezembro e voltar quarta",
        today(),
    );
    assert_eq!(got.return_date, Some(day("2026-12-09")));
    // A bare day after "volta", "regresso a" or "até" is in the departure's month.
    for text in [
        "rio pra roma, ida dia 5 de junho volta 20",
        "Lisboa-Porto, ida a 5 de junho e regresso a 20",
        "rio pra roma dia 5 de junho até 20",
    ] {
        let got = understand(text, today());
        assert_eq!(got.departure, Some(day("2027-06-05")), "{text}");
        assert_eq!(got.return_date, Some(day("2027-06-20")), "{text}");
    }
    // "ida na sexta 4 e volta no domingo 6" (European Portuguese).
    let got = understand(
        "Porto para o Funchal no fim de semana de 5 de dezembro, ida na sexta 4 e volta no domingo 6",
        today(),
    );
    assert_eq!(got.departure, Some(day("2026-12-04")));
    assert_eq!(got.return_date, Some(day("2026-12-06")));
    // "ida de manhã e volta à noite": back the same day.
    let got = understand(
        "ida e volta de congonhas pro santos dumont amanha, ida de manha e volta a noite",
        today(),
    );
    assert_eq!(got.return_date, got.departure);
}

#[test]
fn an_events_date_gives_way_to_the_days_of_travel() {
    let got = understand(
        "vou num casamento em recife dia 7 de janeiro, moro em bh, queria ir dia 6 e voltar dia 8",
        today(),
    );
    assert_eq!(got.departure, Some(day("2027-01-06")));
    assert_eq!(got.return_date, Some(day("2027-01-08")));
    assert_eq!(
        got.origin.map(|p| p.code().to_string()).as_deref(),
        Some("BHZ")
    );
    // With no other date, the event's is the departure.
    let got = understand(
        "vou pra sp pra um show dia 12 de dezembro, saindo de fortaleza",
        today(),
    );
    assert_eq!(got.departure, Some(day("2026-12-12")));
}

#[test]
fn round_trips_without_dates_ask_for_both() {
    for text in [
        "quero ir e voltar de poa pra sp",
        "round trip Chicago to Mexico City, 2 adults",
    ] {
        let got = understand_conversation([text], today());
        assert_eq!(got.one_way, Some(false), "{text}");
        assert_eq!(got.missing(), [Slot::Departure], "{text}");
        assert_eq!(got.clarify, Some(Clarification::ReturnDate), "{text}");
    }
    let got = understand(
        "uma passagem de ida de Porto Alegre para Montevidéu dia 5 de fevereiro",
        today(),
    );
    assert_eq!(got.one_way, Some(true));
    assert_eq!(got.adults, Some(1));
}

#[test]
fn parties_described_in_passing() {
    let adults = |text: &str| understand(text, today()).adults;
    assert_eq!(adults("passagem pra mim de curitiba pra foz"), Some(1));
    assert_eq!(
        adults("me and my gf from Philadelphia to Punta Cana july 8th"),
        Some(2)
    );
    assert_eq!(adults("Serei acompanhado de minha esposa"), Some(2));
    assert_eq!(adults("somos um grupo de 6 amigas indo pra Jeri"), Some(6));
    assert_eq!(
        adults("reveillon em floripa, 3 amigos contando comigo"),
        Some(3)
    );
    assert_eq!(
        adults("sp pra recife, 2 adultos e 1 adolescente de 13 anos"),
        Some(3)
    );
    let got = understand("sp to orlando, 2 adults 3 kids (4, 7, 13 years)", today());
    assert_eq!((got.adults, got.children), (Some(3), Some(2)));
    let got = understand(
        "eu meu marido e as crianças (3 e 7) vamos de campinas",
        today(),
    );
    assert_eq!((got.adults, got.children), (Some(2), Some(2)));
    let got = understand("AMS to AUA, 2 adults and a 9 month old", today());
    assert_eq!(got.infants, Some(1));
}

#[test]
fn airlines_named_in_lists_and_preferences() {
    let carriers = |text: &str| {
        let got = understand(text, today());
        got.carriers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        carriers("SFO to Haneda, ANA or JAL, business"),
        ["NH", "JL"]
    );
    assert_eq!(
        carriers("London to Lisbon and back, TAP or BA"),
        ["TP", "BA"]
    );
    assert_eq!(
        carriers("Washington to Sao Paulo. United is my preference."),
        ["UA"]
    );
    assert_eq!(
        carriers("gru pra genebra dia 20, Swiss se possível."),
        ["LX"]
    );
    // "BA" after a city is Bahia, not British Airways.
    assert!(carriers("de Salvador, BA para Recife").is_empty());
}

#[test]
fn an_outbound_range_is_a_window_not_a_return() {
    let got = understand("gru pra rec, ida entre 10 e 20 de abril", today());
    assert_eq!(
        got.window,
        Some((
            NaiveDate::from_ymd_opt(2027, 4, 10).unwrap(),
            NaiveDate::from_ymd_opt(2027, 4, 20).unwrap()
        ))
    );
    assert_eq!(got.return_date, None);
    // With a return said, the range is still the trip.
    let got = understand(
        "gru pra rec entre 10 e 20 de abril, volta no dia 20",
        today(),
    );
    assert_eq!(got.window, None);
}

#[test]
fn places_said_around_corrections_homes_and_arrows() {
    let route = |text: &str| {
        let got = understand(text, today());
        let code = |p: Option<Place>| p.map(|p| p.code().to_string()).unwrap_or_default();
        (code(got.origin), code(got.destination))
    };
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        route("pra recife, quer dizer, maceio. saindo de sp dia 15/11"),
        pair("SAO", "MCZ")
    );
    assert_eq!(
        route("London to Lisbon on May 20, Madrid not Lisbon"),
        pair("LON", "MAD")
    );
    assert_eq!(
        route("minha filha mora em porto alegre, quero visitar ela dia 6 saindo de goiania"),
        pair("GYN", "POA")
    );
    assert_eq!(
        route("eles moram em Belo Horizonte e querem ir a Londres dia 1"),
        pair("BHZ", "LON")
    );
    assert_eq!(
        route("Bom dia! Valores para Cuiabá → Rondonópolis dia 18/12"),
        pair("CGB", "ROO")
    );
    assert_eq!(
        route("Natal/RN para São Paulo, 16 de outubro"),
        pair("NAT", "SAO")
    );
    assert_eq!(
        route("florianoplis pra porto alegre dia 8"),
        pair("FLN", "POA")
    );
    assert_eq!(
        route("to em milao e preciso voltar pra sp dia 20/01"),
        pair("MIL", "SAO")
    );
    assert_eq!(
        route("sou de fortaleza mas moro em sp, quero ir pra bh dia 20"),
        pair("SAO", "BHZ")
    );
    assert_eq!(
        route("sou de fortaleza, quero ir pra bh dia 20"),
        pair("FOR", "BHZ")
    );
    // A follow-up that changes a date is no misspelt place.
    let got = understand_conversation(
        ["de sp pra lisboa dia 10 de março", "muda pra dia 15"],
        today(),
    );
    assert_eq!(
        got.destination.map(|p| p.code().to_string()).as_deref(),
        Some("LIS")
    );
    // Someone else's second conversation turn: "instead of" drops the old place.
    let got = understand_conversation(
        ["Paris → Rome for Feb 14", "Actually Milan instead of Rome"],
        today(),
    );
    assert_eq!(
        got.destination.map(|p| p.code().to_string()).as_deref(),
        Some("MIL")
    );
    assert_eq!(
        got.origin.map(|p| p.code().to_string()).as_deref(),
        Some("PAR")
    );
}

#[test]
fn a_country_after_a_city_picks_that_countrys_namesake() {
    let code = |text: &str| {
        understand(text, today())
            .origin
            .map(|p| p.code().to_string())
            .unwrap_or_default()
    };
    assert_eq!(code("Valencia, Venezuela to Panama City, March 20"), "VLN");
    assert_eq!(code("Valencia, Spain to Paris, March 20"), "VLC");
    assert_eq!(code("Porto, Portugal to Paris, March 20"), "OPO");
    // The country said outweighs the other end's: not San Jose, California.
    assert_eq!(code("San José, Costa Rica to Miami, Dec 1"), "SJO");
    // Airport nicknames and a metro written with its slash.
    assert_eq!(code("Dallas/Fort Worth to Cancun, next Saturday"), "DFW");
    assert_eq!(code("saindo de cumbica pro galeao dia 9"), "GRU");
}

/// Each one-message request's route, as [`route_of`] writes it.
fn assert_routes(cases: &[(&str, &str)]) {
    for (text, want) in cases {
        assert_eq!(route_of(&[text]), *want, "{text}");
    }
}

/// The route's two codes, "-" for an end not found.
fn route_of(turns: &[&str]) -> String {
    let got = understand_conversation(turns.iter().copied(), today());
    let code = |p: Option<Place>| p.map_or("-".to_owned(), |p| p.code().to_string());
    format!("{}-{}", code(got.origin), code(got.destination))
}

#[test]
fn an_airport_named_anywhere_says_which_of_the_metros() {
    assert_routes(&[
        (
            "quero ir pra bh dia 2 de outubro saindo de salvador, chegando em confins",
            "SSA-CNF",
        ),
        ("Córdoba to Buenos Aires, Aug 15, Aeroparque", "COR-AEP"),
        (
            "voo do rio pra sp amanha, santos dumont pra congonhas",
            "SDU-CGH",
        ),
    ]);
    // Both of a metro's airports named, or one refused: the metro stays.
    assert_eq!(
        route_of(&[
            "to Florianopolis from Buenos Aires, Ezeiza or Aeroparque doesn't matter, Jan 3"
        ]),
        "BUE-FLN"
    );
    assert_eq!(
        route_of(&["de sp pra guarulhos nao, pra campinas"]),
        "SAO-VCP"
    );
}

#[test]
fn two_destinations_to_choose_from_are_offered_and_one_word_switches() {
    let first = understand(
        "fortaleza ou natal, saindo de sp dia 3/7, ainda to decidindo",
        today(),
    );
    assert_eq!(
        first.destination.map(|p| p.code().to_string()).as_deref(),
        Some("FOR")
    );
    assert!(
        matches!(&first.clarify, Some(Clarification::WhichPlace { options, .. }) if options.len() == 2),
        "{:?}",
        first.clarify
    );
    assert_eq!(
        route_of(&["fortaleza ou natal, saindo de sp dia 3/7", "natal"]),
        "SAO-NAT"
    );
    assert_eq!(
        route_of(&["lisbon or porto from london may 3", "porto"]),
        "LON-OPO"
    );
    // The answer to "which airport in Portugal?".
    assert_eq!(
        route_of(&["quero ir pra portugal saindo de sp dia 10", "porto"]),
        "SAO-OPO"
    );
}

#[test]
fn everyday_english_and_portuguese_turns_of_phrase() {
    // "We'd" is not Wednesday.
    let got = understand(
        "My daughter and I are going to New York. We'd like to leave on the 22nd of September",
        today(),
    );
    assert_eq!(got.departure, Some(day("2027-09-22")));
    // English "to do" is no Portuguese "do" (from).
    assert_routes(&[
        ("we want to do orlando from sao paulo, july 3rd", "SAO-MCO"),
        (
            "moro em portugal, to no porto e quero ir pra londres dia 4 de junho",
            "OPO-LON",
        ),
        ("flying out of sf to tokyo, oct 20", "SFO-TYO"),
    ]);
    let got = understand("LAX to Chicago March 12, any time after noon", today());
    assert_eq!(got.depart_after, NaiveTime::from_hms_opt(12, 0, 0));
    let got = understand("de sp pra recife dia 10, somos em 4", today());
    assert_eq!(got.adults, Some(4));
    let got = understand("LAX to Chicago March 12, premium economy for 2", today());
    assert_eq!(got.adults, Some(2));
    let got = understand(
        "minha filha de 15 anos e eu vamos pra orlando em dezembro",
        today(),
    );
    assert_eq!(got.adults, Some(2));
}

#[test]
fn airlines_named_last_or_with_a_condition_and_dates_inside_a_month() {
    let carriers = |text: &str| {
        understand(text, today())
            .carriers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(carriers("vcp x confins 15/03 volta 18/03 azul"), ["AD"]);
    assert_eq!(
        carriers("sp pra porto alegre, 23/07, so ida, gol se tiver"),
        ["G3"]
    );
    assert_eq!(
        carriers("saio de miami dia 14 de setembro pra nova york, prefiro american"),
        ["AA"]
    );
    // A colour in passing is no airline.
    assert!(carriers("quero ir pra um lugar de mar azul saindo de sp").is_empty());
    // "em dezembro ... dia 26/12": the day, not the month.
    let got = understand(
        "vou de ferias em dezembro. queremos sair de campinas pra maceio dia 26/12",
        today(),
    );
    assert_eq!(got.departure, Some(day("2026-12-26")));
    // "a long weekend" with dates said is a stay, not the next weekend.
    let got = understand(
        "Lisbon to Rome for a long weekend, out friday april 9 back monday april 12",
        today(),
    );
    assert_eq!(got.departure, Some(day("2027-04-09")));
    assert_eq!(got.return_date, Some(day("2027-04-12")));
    // "jogo do galo" is a football match, not a misspelt Galeão.
    assert_eq!(
        route_of(&["vo pra bh pro jogo do galo dia 16 saindo do rio"]),
        "RIO-BHZ"
    );
}

#[test]
fn natal_by_its_company_and_corrections_of_places_and_days() {
    // The holiday spent somewhere or with someone.
    let got = understand(
        "natal em natal!! eu e meu marido, saindo de sp, volta dia 2 de janeiro",
        today(),
    );
    assert_eq!(got.departure, Some(day("2026-12-23")));
    assert_eq!(got.return_date, Some(day("2027-01-02")));
    assert_eq!(
        got.destination.map(|p| p.code().to_string()).as_deref(),
        Some("NAT")
    );
    // A place named right after a correction, even one that is also a word.
    assert_routes(&[
        (
            "pra recife, quer dizer, natal. saindo de sp dia 15/11",
            "SAO-NAT",
        ),
        (
            "Flights from London to Lisbon on May 20, no wait, Porto not Lisbon",
            "LON-OPO",
        ),
    ]);
    // "feriadão" is the long weekend of the holiday.
    let got = understand(
        "joao pessoa pra curitiba no feriadao de 15 de novembro",
        today(),
    );
    assert_eq!(got.departure, Some(day("2027-11-12")));
    // "muda pra 12": a new day; "pra 2" in a request for tickets: people.
    let got = understand_conversation(["de sp pra rio dia 10", "muda pra 12"], today());
    assert_eq!(got.departure, Some(day("2026-12-12")));
    let got = understand("passagem pra natal pra 2, saindo de bh dia 15/12", today());
    assert_eq!(got.adults, Some(2));
}

#[test]
fn parts_of_a_month_in_both_languages() {
    let dep = |text: &str| understand(text, today()).departure;
    assert_eq!(
        dep("Toronto to Lisbon around mid-May"),
        Some(day("2027-05-15"))
    );
    assert_eq!(
        dep("de sp pra lisboa em meados de maio"),
        Some(day("2027-05-15"))
    );
    assert_eq!(dep("Toronto to Lisbon early May"), Some(month(2027, 5)));
    assert_eq!(dep("Toronto to Lisbon end of May"), Some(month(2027, 5)));
    assert_eq!(dep("de sp pra lisboa no fim de maio"), Some(month(2027, 5)));
    // Which week of the month is no length of stay; "early" of a month is
    // no morning.
    let got = understand("de sp pra lisboa na primeira semana de maio", today());
    assert_eq!(got.trip_length_days, None);
    assert_eq!(
        understand("Boston to Miami early May", today()).depart_after,
        None
    );
    assert!(
        understand("early flight from Boston to Miami tomorrow", today())
            .depart_after
            .is_some()
    );
}

#[test]
fn corporate_requests_groups_and_parties_named_by_who() {
    let adults = |text: &str| understand(text, today()).adults;
    assert_eq!(
        adults(
            "solicito cotação para o colaborador João Mendes, trecho Curitiba – Recife, ida em 14/01/2027"
        ),
        Some(1)
    );
    assert_eq!(
        adults("Solicito reserva para dois executivos, trecho Congonhas x Porto Alegre, ida 12/05"),
        Some(2)
    );
    assert_eq!(
        adults("me and 3 mates are heading to Rio, flying from London on the 18th of June"),
        Some(4)
    );
    assert_eq!(
        adults("Vamos eu, ela (17 anos) e meu marido. Saída de Guarulhos dia 10 de julho"),
        Some(3)
    );
    assert_eq!(
        adults("réveillon em salvador saindo de bsb, eu e mais 2"),
        Some(3)
    );
    assert_eq!(
        adults("I need a one way ticket from Philadelphia to Sao Paulo on July 28"),
        Some(1)
    );
    let got = understand(
        "mãe e filho de 5 anos, bh pra rio, 20/10, volta 24/10",
        today(),
    );
    assert_eq!((got.adults, got.children), (Some(1), Some(1)));
    let got = understand(
        "Miami to Salvador July 15, 2 adults and a toddler, she's 3",
        today(),
    );
    assert_eq!((got.adults, got.children), (Some(2), Some(1)));
    let got = understand(
        "Recife x Brasília, dia 09/09, voo a partir das 14h",
        today(),
    );
    assert_eq!(got.depart_after, NaiveTime::from_hms_opt(14, 0, 0));
    // The English and numeric forms a US traveller types.
    assert_eq!(route_of(&["nyc to la tomorrow"]), "NYC-LAX");
    let got = understand("NYC-GRU 9/24, returning 10/8", today());
    assert_eq!(
        (got.departure, got.return_date),
        (Some(day("2027-09-24")), Some(day("2027-10-08")))
    );
    assert_routes(&[
        ("ida e volta sp/buenos aires 4 a 8 de abril", "SAO-BUE"),
        (
            "planning a trip to brazil. from toronto to rio de janeiro dec 20",
            "YTO-RIO",
        ),
        (
            "Flying from Manchester to Orlando on October 24th",
            "MAN-MCO",
        ),
        ("Birmingham to Atlanta on October 24th", "BHM-ATL"),
    ]);
}

#[test]
fn stays_homes_holidays_and_airlines_as_travellers_write_them() {
    assert_routes(&[
        (
            "Fancy a long weekend in Porto. Flying from Bristol, 11th to 15th September",
            "BRS-OPO",
        ),
        (
            "Brit living in Rio here. Flying back to Heathrow on the 14th of April",
            "RIO-LHR",
        ),
    ]);
    let got = understand(
        "flying out of LAX, want to go to Rio for NYE, back jan 3",
        today(),
    );
    assert_eq!(
        (got.departure, got.return_date),
        (Some(day("2026-12-30")), Some(day("2027-01-03")))
    );
    let got = understand(
        "my parents want to come visit me in sao paulo, from miami, may 9",
        today(),
    );
    assert_eq!(got.adults, Some(2));
    let got = understand("vcp cnf 30/10 manha", today());
    assert_eq!(got.depart_before, NaiveTime::from_hms_opt(12, 0, 0));
    let carriers = |text: &str| {
        understand(text, today())
            .carriers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        carriers("Rio to Santiago on Jan 2? Sky Airline or LATAM"),
        ["H2", "LA"]
    );
    assert_eq!(
        carriers("Campinas – Cuiabá, ida 02/02, preferencialmente Azul e voos diretos"),
        ["AD"]
    );
}

/// Inputs a review found the rules above misreading.
#[test]
fn dates_and_numbers_are_not_taken_for_people_or_hours() {
    let got = understand("vamos em 15 de julho, sp pra recife", today());
    assert_eq!((got.adults, got.departure), (None, Some(day("2027-07-15"))));
    assert_eq!(
        understand("sp pra rio a partir de 20 de dezembro", today()).depart_after,
        None
    );
    assert_eq!(
        understand("NYC to Paris May 3, staying for 5", today()).adults,
        None
    );
    let got = understand(
        "eu e meu filho, ele tem 10 anos, sp pra rio dia 10",
        today(),
    );
    assert_eq!((got.adults, got.children), (Some(1), Some(1)));
    let got = understand(
        "Vamos eu, ela (8 anos) e meu marido, de sp pra recife dia 10",
        today(),
    );
    assert_eq!((got.adults, got.children), (Some(2), Some(1)));
    // "out" is a word, so the weekend keeps its dates.
    let got = understand("I want a weekend in Lisbon, flying out of London", today());
    assert_eq!(got.departure, Some(day("2026-11-27")));
    // The middle of a month already past is next year's.
    let got = understand(
        "Rio to Paris mid-November",
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    );
    assert_eq!(got.departure, Some(day("2027-11-15")));
    let got = understand(
        "WE'D like to leave on the 22nd of September, Boston to Miami",
        today(),
    );
    assert_eq!(got.departure, Some(day("2027-09-22")));
    let got = understand_conversation(["GRU to LIS on March 10", "change it to the 14th"], today());
    assert_eq!(got.departure, Some(day("2027-03-14")));
    let got = understand("Natal em janeiro, saindo de BH", today());
    assert_eq!(got.clarify, Some(Clarification::NatalCityOrChristmas));
}

#[test]
fn visits_stays_and_corrections_a_review_found() {
    assert_routes(&[
        (
            "My son is living in Lisbon, I want to visit him, flying from Boston in May",
            "BOS-LIS",
        ),
        (
            "My parents live in Lisbon; I want to visit them from London in May",
            "LON-LIS",
        ),
    ]);
    assert_eq!(
        understand(
            "My parents live in Lisbon; I want to visit them from London",
            today()
        )
        .adults,
        None
    );
    assert_routes(&[
        (
            "spending a week in Paris, need a flight to Rome May 5 from London",
            "LON-ROM",
        ),
        ("pra recife, não, natal, saindo de sp dia 10", "SAO-NAT"),
    ]);
    // A code answers only in capitals or alone: "for" is a word.
    assert_eq!(
        route_of(&["fortaleza ou natal, saindo de sp dia 3/7", "natal for 2"]),
        "SAO-NAT"
    );
}

#[test]
fn towns_without_airports_typos_and_changed_departures() {
    assert_routes(&[
        ("gramado no natal! saindo de sampa, casal", "SAO-POA"),
        (
            "morro de sao paulo saindo de bh, de 2 a 9 de setembro",
            "BHZ-SSA",
        ),
        (
            "Balneario Camboriu saindo de sao paulo, 24 de julho",
            "SAO-NVT",
        ),
        ("sp pra pipa, 5 de setembro", "SAO-NAT"),
        ("uberlandai-sp dia 5", "UDI-SAO"),
        ("petrolina - salvadro 02/07", "PNZ-SSA"),
        (
            "cascavel pra curitiba, digo, pra londrina, dia 29/07",
            "CAC-LDB",
        ),
        ("looking for SF to LaGuardia, Feb 24", "SFO-LGA"),
    ]);
    let got = understand(
        "Looking for 1 way tickets Atlanta to Cancun for Oct 10",
        today(),
    );
    assert_eq!(got.one_way, Some(true));
    // A new departure keeps the return it is still before.
    let got = understand_conversation(
        [
            "From Rio to New York, Dec 20 to Dec 30",
            "what if we leave on the 21st instead?",
        ],
        today(),
    );
    assert_eq!(
        (got.departure, got.return_date),
        (Some(day("2026-12-21")), Some(day("2026-12-30")))
    );
    // A return that reads as before the departure is the next year's.
    let got = understand("From Rio to New York, Nov 22 to Nov 21", today());
    assert_eq!(got.return_date, Some(day("2027-11-21")));
}

#[test]
fn parties_with_ages_said_apart_twins_and_totals() {
    let party = |text: &str| {
        let got = understand(text, today());
        (got.adults, got.children)
    };
    assert_eq!(
        party("LAX to Cancun feb 12 for a family of four? 2 adults, kids are 8 and 11"),
        (Some(2), Some(2))
    );
    assert_eq!(
        party("os meninos tem 5 e 7, sp pra rio dia 10, eu e minha esposa"),
        (Some(2), Some(2))
    );
    assert_eq!(
        party("Rio to Salvador, May 22, my wife and I, and our twins (4)"),
        (Some(2), Some(2))
    );
    assert_eq!(
        party("Want to take my mom from Miami to Sao Paulo in August"),
        (Some(2), None)
    );
    assert_eq!(
        party("Me and my buddies (5 of us) want to go to Rio, flying from Miami Oct 16"),
        (Some(5), None)
    );
}

#[test]
fn us_holidays_weekends_and_route_starts_after_for() {
    let dep = |text: &str| understand(text, today()).departure;
    assert_eq!(
        dep("Flight from Philly to Charlotte on Labor Day"),
        Some(day("2027-09-06"))
    );
    assert_eq!(
        dep("One way from Phoenix to San Diego on Memorial Day"),
        Some(day("2027-05-31"))
    );
    assert_eq!(
        dep("Miami to Bogota on Thanksgiving Day"),
        Some(day("2026-11-26"))
    );
    // A weekday of leaving inside "this weekend" is the day.
    assert_eq!(
        dep("we want to go from London to Paris this weekend, leaving Saturday morning"),
        Some(day("2026-11-28"))
    );
    let got = understand("sp pra rio no fim de semana", today());
    assert_eq!(
        (got.departure, got.return_date),
        (Some(day("2026-11-27")), Some(day("2026-11-29")))
    );
    let got = understand(
        "dallas to rio 4th of july weekend, leaving the 2nd back the 6th",
        today(),
    );
    assert_eq!(got.departure, Some(day("2027-07-02")));
    assert_eq!(
        dep("send my parents from São Paulo to Lisbon for Easter? just the two of them"),
        Some(day("2027-03-25"))
    );
    assert_eq!(
        route_of(&["what's the price for LAX to Cancun?"]),
        "LAX-CUN"
    );
    assert_eq!(
        route_of(&[
            "flights from Heathrow to Lisbon March 6th",
            "actually make it Gatwick"
        ]),
        "LGW-LIS"
    );
    assert_eq!(
        route_of(&["quero ir pro são joão de caruaru, vou de sp pra recife dia 20/06"]),
        "SAO-REC"
    );
    let got = understand(
        "oi, qro ir pra salvador saindo de bh dia 14/02, somos 2 casais",
        today(),
    );
    assert_eq!(got.adults, Some(4));
    let got = understand(
        "me + hubby + 3 kids (4, 7, 12) flying Atlanta to Cancun Feb 13",
        today(),
    );
    assert_eq!((got.adults, got.children), (Some(3), Some(2)));
}

#[test]
fn a_follow_up_day_the_month_lacks_and_a_total_with_a_child_by_age() {
    let got = understand_conversation(
        ["voo de recife pra sp dia 1 de dezembro", "e se for dia 31?"],
        today(),
    );
    assert_eq!(got.departure, Some(day("2026-12-31")));
    let got = understand_conversation(
        [
            "voo de recife pra sp dia 1 de fevereiro",
            "e se for dia 31?",
        ],
        today(),
    );
    assert_eq!(got.departure, Some(day("2027-01-31")));
    let got = understand(
        "flight to Orlando from São Paulo Sept 20, 3 of us, me, my wife and our 10 year old",
        today(),
    );
    assert_eq!((got.adults, got.children), (Some(2), Some(1)));
}

#[test]
fn next_week_is_a_window_and_a_weekday_of_next_week_is_in_it() {
    // Today is Sunday 22 November.
    let got = understand("salvador pra sp semana que vem", today());
    assert_eq!(
        got.window,
        Some((day_of("2026-11-23"), day_of("2026-11-29")))
    );
    let got = understand("salvador pra sp quinta da semana que vem", today());
    assert_eq!((got.departure, got.window), (Some(day("2026-11-26")), None));
    let got = understand("NYC to Boston thursday next week", today());
    assert_eq!(got.departure, Some(day("2026-11-26")));
}

fn day_of(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn holiday_weeks_events_homes_and_a_metros_airports_named_together() {
    let got = understand(
        "pascoa em floripa! saio de sp na quinta e volto no domingo",
        today(),
    );
    assert_eq!(
        (got.departure, got.return_date),
        (Some(day("2027-03-25")), Some(day("2027-03-28")))
    );
    let got = understand(
        "vou pro casamento em porto alegre sabado dia 30 de janeiro, queria sair de campinas na sexta antes",
        today(),
    );
    assert_eq!(got.departure, Some(day("2027-01-29")));
    let got = understand("vou pra recife no carnaval, saio na quinta antes", today());
    assert_eq!(got.departure, Some(day("2027-02-04")));
    let got = understand("preciso ir de bh pra sp na quarta feira dia 12", today());
    assert_eq!(got.departure, Some(day("2026-12-12")));
    let got = understand(
        "flights Washington DC to San Francisco Jan 28-Feb 1",
        today(),
    );
    assert_eq!(
        (got.departure, got.return_date),
        (Some(day("2027-01-28")), Some(day("2027-02-01")))
    );
    assert_routes(&[
        (
            "passagem de volta pra casa, to em lisboa e moro em bh, dia 15 de agosto",
            "LIS-BHZ",
        ),
        (
            "oi, quero voltar pra casa no natal. moro em sp, familia em teresina",
            "SAO-THE",
        ),
        (
            "minha mae quer vir visitar a gente em sp, ela mora em teresina, dia 15",
            "THE-SAO",
        ),
    ]);
    assert_eq!(
        route_of(&[
            "quero ir pra bh",
            "saio do rio no sabado",
            "pode ser pampulha ou confins tanto faz"
        ]),
        "RIO-BHZ"
    );
    assert_eq!(
        route_of(&["Looking for flights from Toronto to London in November"]),
        "YTO-LON"
    );
    assert_eq!(
        route_of(&[
            "fly from Sao Paulo to New York",
            "December 18",
            "Actually, can we do Newark instead?"
        ]),
        "SAO-EWR"
    );
    assert_eq!(
        route_of(&["passagem pra salvador nas ferias de julho"]),
        "--SSA"
    );
    let got = understand(
        "Newark to Sao Paulo, June 20, 1 adult + 1 lap infant",
        today(),
    );
    assert_eq!((got.adults, got.infants), (Some(1), Some(1)));
    assert_eq!(
        understand("Need to book 2 business class seats NYC to London", today()).adults,
        Some(2)
    );
    assert_eq!(
        understand(
            "sao paulo to lisbon for me and my daughter, she's 12, july 2",
            today()
        )
        .adults,
        Some(2)
    );
    let carriers = |text: &str| {
        understand(text, today())
            .carriers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        carriers("Seattle to Denver on the 30th, Alaska or Southwest"),
        ["AS", "WN"]
    );
    assert_eq!(
        carriers("Paris to Boston, June 30, nonstop, Air France or Delta"),
        ["AF", "DL"]
    );
    assert_eq!(
        carriers("gru mia 10/04 volta 20/04 american executiva"),
        ["AA"]
    );
    assert_eq!(carriers("vcp-cnf amanha a tarde azul"), ["AD"]);
}

#[test]
fn every_young_one_named_by_age_alone_counts() {
    let got = understand(
        "I'm traveling with my 2 yr old and my 10 month old baby, just me as adult, from Sao Paulo to Buenos Aires March 3",
        today(),
    );
    assert_eq!(
        (got.adults, got.children, got.infants),
        (Some(1), Some(1), Some(1))
    );
}

#[test]
fn english_date_habits_and_parties_from_many_countries() {
    let today = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    let dates = |text: &str| {
        let got = understand(text, today);
        (got.departure, got.return_date)
    };
    // A weekday with a day: the next such day on that weekday.
    assert_eq!(
        dates("SF to Seattle Sat 14th, one way").0,
        Some(day("2026-02-14"))
    );
    assert_eq!(
        dates("SFO to NYC, red-eye Thurs 15th").0,
        Some(day("2026-10-15"))
    );
    // One unambiguous numeric date says how the others are written.
    assert_eq!(
        dates("Sydney to Melbourne 27/2, back 1/3"),
        (Some(day("2026-02-27")), Some(day("2026-03-01")))
    );
    // "out" before a day of another month is a word, not October.
    assert_eq!(
        dates("Heathrow to Sao Paulo, flying out the 21st of December, back on the 4th of January"),
        (Some(day("2026-12-21")), Some(day("2027-01-04")))
    );
    assert_eq!(
        dates("Fly Dublin to Manchester St Stephen's Day, back the 29th").0,
        Some(day("2026-12-26"))
    );
    assert_eq!(
        dates("ida e volta sp-rio no fim de semana de 11 e 12 de abril? ida sabado volta domingo"),
        (Some(day("2026-04-11")), Some(day("2026-04-12")))
    );
    // The outbound's time of day, not the return's.
    let got = understand(
        "voo de goiania pra sp na sexta a noite, volto segunda cedo",
        today,
    );
    assert_eq!(
        (got.depart_after, got.depart_before),
        (NaiveTime::from_hms_opt(18, 0, 0), None)
    );
    let got = understand(
        "Toronto to Montreal for Aug 14, 6 pm or later, just me",
        today,
    );
    assert_eq!(got.depart_after, NaiveTime::from_hms_opt(18, 0, 0));
    assert_eq!(
        understand("Melbourne to Perth this Friday arvo?", today).depart_after,
        NaiveTime::from_hms_opt(12, 0, 0)
    );
    assert_routes(&[
        ("Glasgow to Lanzarote, out the 28th of March", "GLA-ACE"),
        ("Bengaluru to Kochi on 17th July", "BLR-COK"),
        ("Cape Town to Jo'burg, 4 Dec", "CPT-JNB"),
    ]);
    let adults = |text: &str| understand(text, today).adults;
    assert_eq!(
        adults("me and the missus are looking to fly Dublin to Faro on the 3rd of July"),
        Some(2)
    );
    assert_eq!(
        adults("Edinburgh to Amsterdam, 3rd of May, 4 lads"),
        Some(4)
    );
    assert_eq!(
        adults("minha mae vai de joao pessoa pra brasilia dia 2 de setembro, so pra ela"),
        Some(1)
    );
    assert_eq!(
        adults("Dublin to Lisbon, the 2nd of July, 2 adults 1 teen (15)"),
        Some(3)
    );
}

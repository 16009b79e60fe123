//! Portuguese city names and the nicknames travellers type.

use crate::domain::IataCode;

/// The language a traveller writes in, and that replies use.
///
/// It lives here rather than in `assistant` because place names depend on it
/// and `places` must not depend on the assistant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Portuguese (Brazilian).
    Pt,
    /// English.
    En,
}

const fn c(code: &[u8; 3]) -> IataCode {
    IataCode::from_static(code)
}

/// City names as a Brazilian writes them, with accents, where they differ
/// from the English table's (which often drops accents): "Lisboa", "Belém".
/// Folded, each is also a name the index finds.
pub static PT_CITY: &[(IataCode, &str)] = &[
    (c(b"AMS"), "Amsterdã"),
    (c(b"AJU"), "Aracaju"),
    (c(b"ASU"), "Assunção"),
    (c(b"ATH"), "Atenas"),
    (c(b"BEL"), "Belém"),
    (c(b"BER"), "Berlim"),
    (c(b"BRU"), "Bruxelas"),
    (c(b"BSB"), "Brasília"),
    (c(b"CGB"), "Cuiabá"),
    (c(b"CPH"), "Copenhague"),
    (c(b"CPT"), "Cidade do Cabo"),
    (c(b"EDI"), "Edimburgo"),
    (c(b"FEN"), "Fernando de Noronha"),
    (c(b"FLN"), "Florianópolis"),
    (c(b"FLR"), "Florença"),
    (c(b"FRA"), "Frankfurt"),
    (c(b"GVA"), "Genebra"),
    (c(b"GYN"), "Goiânia"),
    (c(b"IGU"), "Foz do Iguaçu"),
    (c(b"IST"), "Istambul"),
    (c(b"JNB"), "Joanesburgo"),
    (c(b"JPA"), "João Pessoa"),
    (c(b"LIS"), "Lisboa"),
    (c(b"MAD"), "Madri"),
    (c(b"MCZ"), "Maceió"),
    (c(b"MEX"), "Cidade do México"),
    (c(b"MUC"), "Munique"),
    (c(b"MVD"), "Montevidéu"),
    (c(b"NAP"), "Nápoles"),
    (c(b"NAT"), "Natal"),
    (c(b"OPO"), "Porto"),
    (c(b"PRG"), "Praga"),
    (c(b"PTY"), "Cidade do Panamá"),
    (c(b"PVG"), "Xangai"),
    (c(b"RAO"), "Ribeirão Preto"),
    (c(b"SCL"), "Santiago do Chile"),
    (c(b"SFO"), "São Francisco"),
    (c(b"SLZ"), "São Luís"),
    (c(b"SVQ"), "Sevilha"),
    (c(b"UDI"), "Uberlândia"),
    (c(b"VCE"), "Veneza"),
    (c(b"VIE"), "Viena"),
    (c(b"VIX"), "Vitória"),
    (c(b"WAW"), "Varsóvia"),
    (c(b"ZRH"), "Zurique"),
];

/// Nicknames, abbreviations, airport names, other spellings and beach towns
/// without an airport of their own (folded), with the code they mean (for a
/// town, the airport travellers fly to for it). An abbreviation that is also a common word
/// ("sp", "la", "ny") is listed here and trusted by the understanding only
/// where the words around it make it a place.
pub static NICKNAMES: &[(&str, IataCode)] = &[
    ("acores", c(b"PDL")),
    ("amsterdam", c(b"AMS")),
    ("aruba", c(b"AUA")),
    ("bali", c(b"DPS")),
    ("budapeste", c(b"BUD")),
    ("curacao", c(b"CUR")),
    ("helsinque", c(b"HEL")),
    ("madeira", c(b"FNC")),
    ("maiorca", c(b"PMI")),
    ("mallorca", c(b"PMI")),
    ("marselha", c(b"MRS")),
    ("panama", c(b"PTY")),
    ("porto rico", c(b"SJU")),
    ("singapura", c(b"SIN")),
    ("singapore", c(b"SIN")),
    ("amsterda", c(b"AMS")),
    ("atenas", c(b"ATH")),
    ("beaga", c(b"BHZ")),
    ("berlim", c(b"BER")),
    ("bh", c(b"BHZ")),
    ("big apple", c(b"NYC")),
    ("bariloche", c(b"BRC")),
    ("brasilia", c(b"BSB")),
    ("campinas", c(b"VCP")),
    ("charles de gaulle", c(b"CDG")),
    ("cidade do mexico", c(b"MEX")),
    ("cdmx", c(b"MEX")),
    ("confins", c(b"CNF")),
    ("congonhas", c(b"CGH")),
    ("cumbica", c(b"GRU")),
    ("dallas", c(b"DFW")),
    ("dallas fort worth", c(b"DFW")),
    ("dallas-fort worth", c(b"DFW")),
    ("dallas/fort worth", c(b"DFW")),
    ("delhi", c(b"DEL")),
    ("disney", c(b"MCO")),
    ("dubai", c(b"DXB")),
    ("floripa", c(b"FLN")),
    ("foz", c(b"IGU")),
    ("foz do iguacu", c(b"IGU")),
    ("frankfurt", c(b"FRA")),
    ("galeao", c(b"GIG")),
    ("gatwick", c(b"LGW")),
    ("guarulhos", c(b"GRU")),
    ("heathrow", c(b"LHR")),
    ("jeri", c(b"JJD")),
    ("maragogi", c(b"MCZ")),
    ("porto de galinhas", c(b"REC")),
    ("copacabana", c(b"RIO")),
    ("ipanema", c(b"RIO")),
    ("trancoso", c(b"BPS")),
    // Towns travellers name for the airport they fly into: the airport with
    // the most flights within a few hours' drive.
    ("gramado", c(b"POA")),
    ("canela", c(b"POA")),
    ("balneario camboriu", c(b"NVT")),
    ("camboriu", c(b"NVT")),
    ("bombinhas", c(b"NVT")),
    ("beto carrero", c(b"NVT")),
    ("morro de sao paulo", c(b"SSA")),
    ("praia do forte", c(b"SSA")),
    ("imbassai", c(b"SSA")),
    ("chapada dos veadeiros", c(b"BSB")),
    ("alto paraiso", c(b"BSB")),
    ("alter do chao", c(b"STM")),
    ("itacare", c(b"IOS")),
    ("pipa", c(b"NAT")),
    ("praia da pipa", c(b"NAT")),
    ("sao miguel dos milagres", c(b"MCZ")),
    ("buzios", c(b"RIO")),
    ("arraial do cabo", c(b"RIO")),
    ("paraty", c(b"RIO")),
    ("angra dos reis", c(b"RIO")),
    ("ilha grande", c(b"RIO")),
    ("ilhabela", c(b"SAO")),
    ("ubatuba", c(b"SAO")),
    ("campos do jordao", c(b"SAO")),
    ("lencois maranhenses", c(b"SLZ")),
    ("barreirinhas", c(b"SLZ")),
    ("jalapao", c(b"PMW")),
    ("cataratas", c(b"IGU")),
    ("cancum", c(b"CUN")),
    ("lanzarote", c(b"ACE")),
    ("tenerife", c(b"TFS")),
    ("gran canaria", c(b"LPA")),
    ("fuerteventura", c(b"FUE")),
    ("menorca", c(b"MAH")),
    ("bengaluru", c(b"BLR")),
    ("joburg", c(b"JNB")),
    ("jozi", c(b"JNB")),
    ("arraial dajuda", c(b"BPS")),
    ("jericoacoara", c(b"JJD")),
    ("jfk", c(b"JFK")),
    ("la", c(b"LAX")),
    ("los angeles", c(b"LAX")),
    ("lisbon", c(b"LIS")),
    ("madrid", c(b"MAD")),
    ("nova delhi", c(b"DEL")),
    ("nova orleans", c(b"MSY")),
    ("noronha", c(b"FEN")),
    ("ny", c(b"NYC")),
    ("orlando", c(b"MCO")),
    ("orly", c(b"ORY")),
    ("pampulha", c(b"PLU")),
    ("poa", c(b"POA")),
    ("porto alegre", c(b"POA")),
    ("porto seguro", c(b"BPS")),
    ("punta cana", c(b"PUJ")),
    ("rj", c(b"RIO")),
    ("salvador", c(b"SSA")),
    ("santiago", c(b"SCL")),
    ("santiago de compostela", c(b"SCQ")),
    ("santos dumont", c(b"SDU")),
    ("sp", c(b"SAO")),
    ("sampa", c(b"SAO")),
    ("sao paulo", c(b"SAO")),
    ("sao luiz", c(b"SLZ")),
    ("vegas", c(b"LAS")),
    ("sf", c(b"SFO")),
    ("san fran", c(b"SFO")),
    ("philly", c(b"PHL")),
    ("nola", c(b"MSY")),
    ("las vegas", c(b"LAS")),
    ("viracopos", c(b"VCP")),
    // Airports travellers name by their own names.
    ("ohare", c(b"ORD")),
    ("o hare", c(b"ORD")),
    ("midway", c(b"MDW")),
    ("dulles", c(b"IAD")),
    ("reagan", c(b"DCA")),
    ("dc", c(b"WAS")),
    ("newark", c(b"EWR")),
    ("laguardia", c(b"LGA")),
    ("la guardia", c(b"LGA")),
    ("logan", c(b"BOS")),
    ("pearson", c(b"YYZ")),
    ("malpensa", c(b"MXP")),
    ("linate", c(b"LIN")),
    ("fiumicino", c(b"FCO")),
    ("ciampino", c(b"CIA")),
    ("barajas", c(b"MAD")),
    ("schiphol", c(b"AMS")),
    ("stansted", c(b"STN")),
    ("luton", c(b"LTN")),
    ("narita", c(b"NRT")),
    ("haneda", c(b"HND")),
    ("incheon", c(b"ICN")),
    ("aeroparque", c(b"AEP")),
    ("ezeiza", c(b"EZE")),
    ("washington dc", c(b"WAS")),
    ("bush intercontinental", c(b"IAH")),
    ("houston bush", c(b"IAH")),
    ("houston hobby", c(b"HOU")),
    // Cities whose name a smaller field or a namesake shares: the one
    // travellers fly to.
    ("medellin", c(b"MDE")),
    ("panama city", c(b"PTY")),
    // Sights travellers name instead of the town that serves them.
    ("iguazu", c(b"IGU")),
    ("iguazu falls", c(b"IGU")),
    ("iguacu falls", c(b"IGU")),
    ("cataratas", c(b"IGU")),
    ("cataratas do iguacu", c(b"IGU")),
    ("easter island", c(b"IPC")),
    ("ilha de pascoa", c(b"IPC")),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::Place;

    #[test]
    fn every_name_and_nickname_points_at_a_real_place() {
        for (code, name) in PT_CITY {
            assert!(Place::by_code(*code).is_some(), "{name} → {code}");
        }
        for (name, code) in NICKNAMES {
            assert!(Place::by_code(*code).is_some(), "{name} → {code}");
            assert_eq!(*name, crate::places::fold(name), "nicknames are folded");
        }
    }
}

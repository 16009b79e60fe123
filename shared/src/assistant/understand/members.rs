//! A party described by who is in it rather than by counts: "eu, minha
//! esposa e nossa filha de 1 ano", "me, my wife and our baby", "eu e mais 3
//! amigas", "3 filhos (12, 9 e 4 anos)". Ages decide the fare type: under 2
//! an infant, 2 to 11 a child, 12 and over an adult.

use super::numbers::count;
use super::text::Words;

/// Who a description names, by fare type.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Members {
    pub adults: u8,
    pub children: u8,
    pub infants: u8,
}

/// Fare types a noun names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Adult,
    Child,
    Infant,
}

/// A noun for people, its fare type and how many it means without a number.
fn noun(word: &str) -> Option<(Kind, u8)> {
    Some(match word {
        "esposa" | "esposo" | "marido" | "mulher" | "namorada" | "namorado" | "noiva" | "noivo"
        | "mae" | "pai" | "amigo" | "amiga" | "irma" | "irmao" | "chefe" | "colega" | "sogra"
        | "sogro" | "tio" | "tia" | "avo" | "primo" | "prima" | "cunhado" | "cunhada" | "socio"
        | "socia" | "wife" | "husband" | "partner" | "girlfriend" | "boyfriend" | "mom" | "mum"
        | "mother" | "dad" | "father" | "friend" | "sister" | "brother" | "boss" | "colleague"
        | "fiance" | "fiancee" | "adulto" | "adult" | "baba" | "nanny" | "hubby" | "wifey"
        | "gf" | "bf" | "missus" | "missis" => (Kind::Adult, 1),
        "pais" | "parents" | "sogros" | "avos" | "grandparents" => (Kind::Adult, 2),
        "amigos" | "amigas" | "friends" | "colegas" | "colleagues" | "irmaos" | "irmas"
        | "adultos" | "adults" | "mates" | "buddies" | "guys" | "lads" | "colaboradores"
        | "executivos" | "funcionarios" => (Kind::Adult, 0),
        "filho" | "filha" | "son" | "daughter" | "kid" | "child" | "crianca" | "sobrinho"
        | "sobrinha" | "neto" | "neta" | "menino" | "menina" | "boy" | "girl" | "adolescente"
        | "teen" | "teenager" | "toddler" => (Kind::Child, 1),
        "filhos" | "filhas" | "kids" | "children" | "criancas" | "sobrinhos" | "netos"
        | "teens" | "teenagers" | "toddlers" | "meninos" | "meninas" | "boys" | "girls" => {
            (Kind::Child, 0)
        }
        "twins" | "gemeos" | "gemeas" => (Kind::Child, 2),
        "bebe" | "baby" | "infant" | "bebes" | "babies" | "infants" => (Kind::Infant, 1),
        _ => return None,
    })
}

/// Words a list of people is made of, besides nouns, numbers and ages.
fn joins(word: &str) -> bool {
    matches!(
        word,
        "," | "e"
            | "and"
            | "+"
            | "mais"
            | "com"
            | "with"
            | "meu"
            | "minha"
            | "meus"
            | "minhas"
            | "nosso"
            | "nossa"
            | "nossos"
            | "nossas"
            | "my"
            | "the"
            | "our"
            | "a"
            | "o"
            | "um"
            | "uma"
            | "an"
            | "de"
            | "do"
            | "da"
            | "dos"
            | "das"
            | "anos"
            | "ano"
            | "meses"
            | "mes"
            | "years"
            | "year"
            | "old"
            | "months"
            | "month"
            | "aged"
            | "age"
            | "ages"
            | "idade"
            | "("
            | ")"
            | "too"
            | "tambem"
            | "lap"
            | "pequena"
            | "pequeno"
            | "little"
            | "small"
            | "os"
            | "as"
            | "plus"
            | "i"
            | "eu"
    )
}

/// The party a description starting with the traveller names ("eu, ...",
/// "me and ...", "pra mim e ...", "casal + ..."); `None` when there is none,
/// or when it names the traveller alone.
pub(super) fn described(words: &Words) -> Option<Members> {
    let start = (0..words.len()).find(|&i| starts_party(words, i))?;
    let mut out = Members::default();
    let mut named_others = false;
    let mut i = start;
    while i < words.len() && i < start + 30 {
        let w = words.at(i);
        if let Some(used) = couple_at(words, i) {
            out.adults += 2;
            named_others = true;
            i += used;
            continue;
        }
        let traveller_later = matches!(words.at(start), "my" | "minha" | "meu");
        if matches!(w, "eu" | "i") && traveller_later && matches!(words.before(i), "e" | "and") {
            out.adults += 1;
        } else if matches!(w, "eu" | "me" | "mim" | "i" | "com" | "with") && i == start {
            // "com minha esposa e ...": the traveller, then the others.
            out.adults += 1;
        } else if let Some(used) = group_at(words, i, &mut out) {
            named_others = true;
            i += used;
            continue;
        } else if !joins(w) {
            break;
        }
        i += 1;
    }
    named_others.then_some(out)
}

/// "2 crianças, uma de 3 e outra de 1 ano e meio", "2 kids aged 1 and 5":
/// counted young people whose ages say which are infants.
pub(super) fn young_by_age(words: &Words) -> Option<Members> {
    (1..words.len()).find_map(|i| {
        let (kind, implied) = noun(words.at(i))?;
        // "kids 11, 8 and 1": a plural without a count takes its ages' number.
        let n = match count(words.before(i)).and_then(|n| u8::try_from(n).ok()) {
            Some(n) => n,
            None if implied == 0 => 0,
            None => return None,
        };
        let (ages, _) = ages_after(words, i + 1, usize::from(n));
        let counted = n == 0 && ages.len() >= 2 || n >= 2 && ages.len() == usize::from(n);
        if kind == Kind::Adult || !counted {
            return None;
        }
        let mut out = Members::default();
        ages.into_iter().for_each(|m| add(&mut out, by_age(m), 1));
        // "3 kids (4, 7 and 13)": some young, one flying as an adult.
        (out.children + out.infants > 0).then_some(out)
    })
}

/// "minha filha de 10 anos ... ela vai comigo", "My son is 14 and he's
/// flying with me", "our 1-year-old": the traveller and the one named.
pub(super) fn with_me(words: &Words) -> Option<Members> {
    if let Some(kind) = words.words.iter().find_map(|w| aged_word(w)) {
        let mut out = Members::default();
        add(&mut out, kind, 1);
        return Some(out);
    }
    // "comigo", "with me"; "take my mom", "levar minha mãe": the
    // traveller and the one named.
    let with = [
        "comigo",
        "with me",
        "take my",
        "taking my",
        "bring my",
        "levar minha",
        "levar meu",
        "levando minha",
        "levando meu",
    ];
    if !with.iter().any(|p| words.has(p)) {
        return None;
    }
    let at = (1..words.len()).find(|i| {
        matches!(words.before(*i), "minha" | "meu" | "my") && noun(words.at(*i)).is_some()
    })?;
    let mut out = Members {
        adults: 1,
        ..Members::default()
    };
    group_at(words, at, &mut out)?;
    Some(out)
}

/// "1-year-old", "6-month-old": the fare type of that age.
fn aged_word(word: &str) -> Option<Kind> {
    let (n, unit) = word.split_once('-')?;
    let n: u32 = n.parse().ok()?;
    match unit {
        "year-old" | "years-old" => Some(by_age(n * 12)),
        "month-old" | "months-old" => Some(by_age(n)),
        _ => None,
    }
}

/// Whether the traveller's list of people begins at `i`.
fn starts_party(words: &Words, i: usize) -> bool {
    let next = words.at(i + 1);
    match words.at(i) {
        "eu" | "me" => matches!(
            next,
            "," | "e" | "and" | "+" | "minha" | "meu" | "my" | "com"
        ),
        "mim" => matches!(next, "e" | ","),
        "com" | "with" => {
            // "com minha esposa", "..., com a minha esposa e a nossa filha"
            let mine = |w: &str| matches!(w, "minha" | "meu" | "minhas" | "meus" | "my");
            let owned =
                mine(next) || matches!(next, "a" | "o" | "as" | "os") && mine(words.at(i + 2));
            owned && i > 0 && (travels(words) || words.before(i) == ",")
        }
        // "my wife and I plus our two teenagers", "minha esposa e eu",
        // "minha filha de 15 anos e eu"
        "my" | "minha" | "meu" => {
            noun(next).is_some()
                && (i + 2..i + 7)
                    .take_while(|&k| {
                        k == i + 2 || joins(words.at(k - 1)) || count(words.at(k - 1)).is_some()
                    })
                    .any(|k| words.phrase_at(k, "and i") || words.phrase_at(k, "e eu"))
        }
        // "mãe e filho de 5 anos, bh pra rio", "somos pai e filha": a party
        // named by who is in it.
        first if i == 0 || matches!(words.before(i), "," | "somos" | "were") => {
            let adult = |w: &str| noun(w).is_some_and(|(k, n)| k == Kind::Adult && n == 1);
            adult(first) && matches!(next, "e" | "and") && noun(words.at(i + 2)).is_some()
                || couple_at(words, i).is_some()
        }
        _ => couple_at(words, i).is_some(),
    }
}

/// Whether the message speaks of the traveller going ("vou", "quero ir"),
/// so "com minha esposa" adds to them.
fn travels(words: &Words) -> bool {
    [
        "vou", "vamos", "quero", "i'm", "im", "flying", "going", "travel", "viajar", "ir",
    ]
    .iter()
    .any(|w| words.has(w))
}

/// "casal", "a couple", "lua de mel", "honeymoon": two adults, and the
/// words read.
fn couple_at(words: &Words, i: usize) -> Option<usize> {
    if words.phrase_at(i, "lua de mel") {
        return Some(3);
    }
    matches!(words.at(i), "casal" | "couple" | "honeymoon").then_some(1)
}

/// A group of people at `i` ("minha esposa", "3 filhos (12, 9 e 4 anos)",
/// "mais 3 amigas", "nossa filha de 1 ano") added to `out`; the words read.
fn group_at(words: &Words, i: usize, out: &mut Members) -> Option<usize> {
    let number = count(words.at(i)).and_then(|n| u8::try_from(n).ok());
    let at_noun = i + usize::from(number.is_some());
    // "eu e mais 2": people without a noun.
    if let Some(n) = number
        && words.before(i) == "mais"
        && noun(words.at(at_noun)).is_none()
    {
        add(out, Kind::Adult, n);
        return Some(1);
    }
    // "Vamos eu, ela (17 anos) e meu marido": a pronoun in the list is a
    // person, of the fare type of an age given with it (the parenthesis is
    // gone from the words).
    if number.is_none()
        && matches!(words.at(i), "ela" | "ele" | "she" | "he")
        && (matches!(words.at(i + 1), "," | "e" | "and")
            || words.at(i + 1).starts_with(|c: char| c.is_ascii_digit()))
    {
        let (ages, used) = ages_after(words, i + 1, 1);
        add(out, ages.first().map_or(Kind::Adult, |m| by_age(*m)), 1);
        return Some(1 + used);
    }
    let (kind, implied) = noun(words.at(at_noun))?;
    let n = number
        .unwrap_or(implied)
        .max(u8::from(number.is_none() && implied == 0));
    // "as crianças (3 e 7)": a plural without a count has as many as its ages.
    let expected = if number.is_none() && implied == 0 {
        0
    } else {
        usize::from(n)
    };
    let (ages, used) = ages_after(words, at_noun + 1, expected);
    let as_many = expected == 0 || ages.len() == usize::from(n);
    if !ages.is_empty() && as_many && kind != Kind::Adult {
        for months in ages {
            add(out, by_age(months), 1);
        }
    } else {
        add(out, kind, n);
    }
    Some(at_noun + 1 + used - i)
}

fn add(out: &mut Members, kind: Kind, n: u8) {
    let slot = match kind {
        Kind::Adult => &mut out.adults,
        Kind::Child => &mut out.children,
        Kind::Infant => &mut out.infants,
    };
    *slot = slot.saturating_add(n);
}

/// The fare type for an age in months.
fn by_age(months: u32) -> Kind {
    match months {
        0..24 => Kind::Infant,
        24..144 => Kind::Child,
        _ => Kind::Adult,
    }
}

/// Ages written after a noun: "(12, 9 e 4 anos)", "de 3 anos", "aged 7 and
/// 10", "de 6 meses", "she's 9"; in months, with the words read. Empty when
/// no age follows.
fn ages_after(words: &Words, from: usize, expected: usize) -> (Vec<u32>, usize) {
    let mut numbers = Vec::new();
    let mut j = from;
    while j < words.len() && j < from + 12 {
        let w = words.at(j);
        if let Some(n) = w.parse::<u32>().ok().filter(|n| *n <= 99) {
            numbers.push(n);
        } else if matches!(w, "anos" | "ano" | "years" | "year" | "yo" | "yr" | "yrs") {
            return (numbers.into_iter().map(|n| n * 12).collect(), j + 1 - from);
        } else if matches!(w, "meses" | "mes" | "months" | "month") {
            return (numbers, j + 1 - from);
        } else if !matches!(
            w,
            "(" | ")"
                | ","
                | "e"
                | "and"
                | "de"
                | "aged"
                | "age"
                | "ages"
                | "com"
                | "shes"
                | "hes"
                | "idade"
                | "of"
                | "adolescentes"
                | "adolescente"
                | "teenage"
                | "is"
                | "are"
                | "sao"
                | "tem"
                | "uma"
                | "outra"
                | "um"
                | "outro"
        ) {
            break;
        }
        j += 1;
    }
    // "2 kids aged 7 and 10", "(7)" without a unit: years.
    // "3 filhos (10, 13 e 15)": as many bare numbers as people, years too.
    // "my daughter, she's 12": an age said of the one just named.
    let said_of = words.words[from..j]
        .iter()
        .any(|w| matches!(w.as_str(), "shes" | "hes"));
    let bare_ok = matches!(words.at(from), "aged" | "(" | "is" | "are" | "sao" | "tem")
        || said_of
        || expected >= 2 && numbers.len() == expected
        || expected == 0 && numbers.len() >= 2;
    if bare_ok && !numbers.is_empty() {
        return (numbers.into_iter().map(|n| n * 12).collect(), j - from);
    }
    (Vec::new(), 0)
}

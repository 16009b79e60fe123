//! The first step: a message as folded words, with what the later steps need
//! to know about each (written in capitals, already claimed by a step).

use crate::places::fold;

/// A message split into words: lower case, no accents, sentence punctuation
/// kept as its own `,` word so that "em março, 2 adultos" does not read as
/// "2 March", and money symbols turned into currency words.
pub(super) struct Words {
    /// The folded words.
    pub words: Vec<String>,
    /// Whether the traveller wrote the word as three capitals ("GRU"): an
    /// airport code even where it is also a word ("MIA", "FOR").
    pub capitals: Vec<bool>,
    /// Words a step has read (a date, an airline), so later steps skip them.
    pub taken: Vec<bool>,
}

impl Words {
    /// Splits and folds `text`.
    pub fn new(text: &str) -> Self {
        let mut words = Vec::new();
        let mut capitals = Vec::new();
        let mut shouted = 0;
        // "I'm" → "im", "year's" → "years": apostrophes split no word.
        for raw in spaced(text).split_whitespace() {
            let bare = raw.trim_matches(|c: char| !c.is_alphanumeric());
            let upper =
                bare.chars().all(|c| !c.is_lowercase()) && bare.chars().any(char::is_alphabetic);
            shouted += usize::from(upper && bare.chars().count() >= 4);
            // "GRU", and the capitals people write for cities: "SP", "RJ", "LA", "NY".
            let caps = upper && (2..=3).contains(&bare.len());
            for w in split_word(&fold(raw)) {
                // "fds" → "fim de semana": a short form may stand for several words.
                match fix_typo(&w) {
                    Some(fixed) => {
                        for part in fixed.split(' ') {
                            words.push(part.to_owned());
                            capitals.push(caps);
                        }
                    }
                    None => {
                        words.push(w);
                        capitals.push(caps);
                    }
                }
            }
        }
        // A message typed in capitals ("VOO DE SALVADOR PARA RECIFE DIA 10")
        // says nothing by its capitals: "DIA" is no airport code there.
        if shouted >= 2 {
            capitals.iter_mut().for_each(|c| *c = false);
        }
        let taken = vec![false; words.len()];
        Self {
            words,
            capitals,
            taken,
        }
    }

    /// The word at `i`, or "" past the end.
    pub fn at(&self, i: usize) -> &str {
        self.words.get(i).map_or("", String::as_str)
    }

    /// The word before `i`, or "" at the start.
    pub fn before(&self, i: usize) -> &str {
        i.checked_sub(1).map_or("", |j| self.at(j))
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Marks words `from..to` as read.
    pub fn take(&mut self, from: usize, to: usize) {
        for t in self.taken.iter_mut().take(to).skip(from) {
            *t = true;
        }
    }

    /// Whether the words from `i` on are exactly `phrase`.
    pub fn phrase_at(&self, i: usize, phrase: &str) -> bool {
        // Word by word without a splitter: this runs for every phrase at
        // every word, and most calls fail on the first word.
        let Some(word) = self.words.get(i) else {
            return false;
        };
        match phrase.strip_prefix(word.as_str()) {
            Some("") => true,
            Some(rest) => rest
                .strip_prefix(' ')
                .is_some_and(|rest| self.phrase_at(i + 1, rest)),
            None => false,
        }
    }

    /// Whether the message contains `phrase` as whole words.
    pub fn has(&self, phrase: &str) -> bool {
        (0..self.len()).any(|i| self.phrase_at(i, phrase))
    }

    /// The number of words in `phrase`.
    pub fn count_of(phrase: &str) -> usize {
        1 + phrase.bytes().filter(|&b| b == b' ').count()
    }
}

/// Money symbols as words, arrows as `->`, apostrophes dropped ("I'm" →
/// "Im"), in one pass; "we'd" keeps its "d" apart, so that it is no "wed"
/// (Wednesday).
fn spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '’' if out.ends_with(['e', 'E']) && matches!(chars.peek(), Some('d' | 'D')) => {
                out.push(' ');
            }
            '$' => {
                let word = if out.ends_with(['R', 'r']) {
                    out.pop();
                    " brl "
                } else if out.ends_with("US") {
                    out.truncate(out.len() - 2);
                    " usd "
                } else {
                    " usd "
                };
                out.push_str(word);
            }
            '>' if out.ends_with('=') => {
                out.pop();
                out.push_str(" -> ");
            }
            '€' => out.push_str(" eur "),
            '£' => out.push_str(" gbp "),
            '→' | '⇒' | '➡' | '✈' => out.push_str(" -> "),
            // "São Paulo–Salvador–São Paulo": an en dash between places.
            '–' => out.push_str(" - "),
            '\'' | '’' => {}
            c => out.push(c),
        }
    }
    out
}

/// One folded chunk as words: punctuation at its ends becomes `,`; inside it
/// stays where dates and amounts use it (`10/03`, `4.000`, `2026-03-10`).
fn split_word(chunk: &str) -> Vec<String> {
    let core = chunk.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '-');
    let trimmed = core.trim_end_matches(|c: char| !c.is_alphanumeric());
    if let Some(words) = whole_chunk(chunk, core, trimmed) {
        return words.iter().map(|w| (*w).to_owned()).collect();
    }
    let inner: String = trimmed
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | ',' | ':') {
                c
            } else {
                ' '
            }
        })
        .collect();
    let mut out: Vec<String> = inner.split_whitespace().map(str::to_owned).collect();
    let tail = &core[trimmed.len()..];
    // "Dec. 18", "Jan. 2": the point of an abbreviation ends no sentence.
    let abbreviation =
        tail == "." && trimmed.len() <= 4 && trimmed.chars().all(char::is_alphabetic);
    if !abbreviation && tail.contains([',', '.', '?', '!', ';']) {
        out.push(",".to_owned());
    }
    out
}

/// Chunks read as a whole: "+" joining people ("me + wife"), an arrow, a
/// range of dates ("12/24-12/31") or days ("10-20"), a city and its state
/// ("Natal/RN"), "p/" for "para".
fn whole_chunk<'c>(chunk: &'c str, core: &'c str, trimmed: &'c str) -> Option<Vec<&'c str>> {
    if chunk == "+" {
        return Some(vec!["+"]);
    }
    if core == "->" || core == "-" || core == ">" || core == "x" && chunk == "x" {
        return Some(vec!["->"]);
    }
    if core == "p/" {
        return Some(vec!["para"]);
    }
    if let Some((a, b)) = trimmed.split_once('-') {
        // "Jan 28-Feb 1": a day, then a month.
        if !a.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && super::calendar::month_short(b).is_some()
        {
            return Some(vec![a, "-", b]);
        }
        let dates = a.contains('/')
            && b.contains('/')
            && a.bytes()
                .chain(b.bytes())
                .all(|c| c.is_ascii_digit() || c == b'/');
        let days = (1..=2).contains(&a.len())
            && (1..=2).contains(&b.len())
            && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit());
        if dates || days {
            return Some(vec![a, "-", b]);
        }
    }
    let (city, state) = trimmed.split_once('/')?;
    let named = state.len() == 2
        && city.len() > 2
        && city.chars().chain(state.chars()).all(char::is_alphabetic);
    named.then(|| vec![city, state])
}

/// Spellings people type for words the steps look for, and the word meant.
const TYPOS: &[(&str, &str)] = &[
    ("dps", "depois"),
    ("hj", "hoje"),
    ("fds", "fim de semana"),
    ("fim-de-semana", "fim de semana"),
    ("vdd", "verdade"),
    ("c", "com"),
    ("quro", "quero"),
    ("qero", "quero"),
    ("qro", "quero"),
    ("prar", "para"),
    ("pro", "pra"),
    ("amanah", "amanha"),
    ("amnha", "amanha"),
    ("dezenbro", "dezembro"),
    ("novenbro", "novembro"),
    ("setenbro", "setembro"),
    ("fevereriro", "fevereiro"),
    ("fevreiro", "fevereiro"),
    ("janero", "janeiro"),
    ("janiero", "janeiro"),
    ("jineiro", "janeiro"),
    ("fevereio", "fevereiro"),
    ("fervereiro", "fevereiro"),
    ("abrill", "abril"),
    ("julhu", "julho"),
    ("agsoto", "agosto"),
    ("setembo", "setembro"),
    ("setmbro", "setembro"),
    ("outubor", "outubro"),
    ("otubro", "outubro"),
    ("novmbro", "novembro"),
    ("dezmbro", "dezembro"),
    ("dezembo", "dezembro"),
    ("janaury", "january"),
    ("febrary", "february"),
    ("apirl", "april"),
    ("agust", "august"),
    ("septmber", "september"),
    ("octber", "october"),
    ("novmber", "november"),
    ("decmber", "december"),
    ("decemeber", "december"),
    ("julio", "julho"),
    ("abirl", "abril"),
    ("febuary", "february"),
    ("feburary", "february"),
    ("januray", "january"),
    ("agost", "agosto"),
    ("adultis", "adultos"),
    ("adltos", "adultos"),
    ("tomorow", "tomorrow"),
    ("tmrw", "tomorrow"),
    ("tmr", "tomorrow"),
    ("tmw", "tomorrow"),
    ("tommorow", "tomorrow"),
    ("tommorrow", "tomorrow"),
    ("lisbao", "lisboa"),
    ("lisbooa", "lisboa"),
    ("londes", "londres"),
    ("barcelon", "barcelona"),
    ("executva", "executiva"),
    ("exectiva", "executiva"),
    ("baratu", "barato"),
    ("bartao", "barato"),
    ("passagen", "passagem"),
    ("pasagem", "passagem"),
    ("passsagem", "passagem"),
    ("ibera", "iberia"),
];

/// The word meant by a spelling people type, if it is a known typo.
fn fix_typo(word: &str) -> Option<&'static str> {
    TYPOS
        .iter()
        .find(|(typo, _)| *typo == word)
        .map(|(_, fixed)| *fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_stays_a_boundary_and_amounts_stay_whole() {
        let w = Words::new("Em março, 2 adultos! Até R$ 4.000,00 (GRU→LIS)");
        assert_eq!(
            w.words,
            [
                "em", "marco", ",", "2", "adultos", ",", "ate", "brl", "4.000,00", "gru", "->",
                "lis"
            ]
        );
        assert!(w.capitals[9] && !w.capitals[0]);
    }

    #[test]
    fn currency_signs_and_arrows_become_words() {
        let w = Words::new("US$ 800 ou r$4.000, €300, £90, $50; I'm in SP => Rio ➡ Lisboa");
        assert_eq!(
            w.words,
            [
                "usd", "800", "ou", "brl", "4.000", ",", "eur", "300", ",", "gbp", "90", ",",
                "usd", "50", ",", "im", "in", "sp", "->", "rio", "->", "lisboa"
            ]
        );
    }

    #[test]
    fn phrases_match_whole_words_only() {
        let w = Words::new("voo de ida e volta pra lisboa");
        assert!(w.has("ida e volta") && w.has("lisboa") && w.phrase_at(1, "de ida"));
        assert!(!w.has("ida e voltar") && !w.has("volta pra lis") && !w.has("lisboa em"));
        assert!(!w.phrase_at(7, "lisboa") && !w.phrase_at(6, ""));
        assert_eq!(Words::count_of("mais ou menos N dias"), 5);
    }
}

//! Numbers as travellers write them: digits, "10th", "1º", and words in
//! both languages, cardinal or ordinal ("vinte e cinco", "twenty-fifth").

use super::text::Words;

/// A number from 0 to 19 or a ten, written as a word, cardinal or ordinal.
fn small(word: &str) -> Option<u32> {
    const WORDS: &[(&[&str], u32)] = &[
        (
            &[
                "um", "uma", "one", "a", "an", "primeiro", "primeira", "first",
            ],
            1,
        ),
        (&["dois", "duas", "two", "segundo", "second"], 2),
        (&["tres", "three", "terceiro", "third"], 3),
        (&["quatro", "four", "quarto", "fourth"], 4),
        (&["cinco", "five", "quinto", "fifth"], 5),
        (&["seis", "six", "sexto", "sixth"], 6),
        (&["sete", "seven", "setimo", "seventh"], 7),
        (&["oito", "eight", "oitavo", "eighth"], 8),
        (&["nove", "nine", "nono", "ninth"], 9),
        (&["dez", "ten", "decimo", "tenth"], 10),
        (&["onze", "eleven", "eleventh"], 11),
        (&["doze", "twelve", "twelfth"], 12),
        (&["treze", "thirteen", "thirteenth"], 13),
        (&["catorze", "quatorze", "fourteen", "fourteenth"], 14),
        (&["quinze", "fifteen", "fifteenth"], 15),
        (&["dezesseis", "sixteen", "sixteenth"], 16),
        (&["dezessete", "seventeen", "seventeenth"], 17),
        (&["dezoito", "eighteen", "eighteenth"], 18),
        (&["dezenove", "nineteen", "nineteenth"], 19),
        (&["vinte", "twenty", "twentieth", "vigesimo"], 20),
        (&["trinta", "thirty", "thirtieth", "trigesimo"], 30),
    ];
    WORDS
        .iter()
        .find(|(names, _)| names.contains(&word))
        .map(|(_, n)| *n)
}

/// A count written in digits or as a word ("2", "dois", "two", "a").
pub(super) fn count(word: &str) -> Option<u32> {
    word.parse()
        .ok()
        .or_else(|| small(word).filter(|n| *n <= 12))
}

/// A day of the month in digits with an optional ordinal ending ("10",
/// "10th", "1o", "1º" folded to "1o").
pub(super) fn day_digits(word: &str) -> Option<u32> {
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    let rest = &word[digits.len()..];
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    if !["", "st", "nd", "rd", "th", "o", "a"].contains(&rest) {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A day of the month at `i`, in digits or words ("25", "twenty fifth",
/// "twenty-five", "vinte e cinco", "primeiro"), and how many words it took.
pub(super) fn day_at(words: &Words, i: usize) -> Option<(u32, usize)> {
    let w = words.at(i);
    if let Some(d) = day_digits(w) {
        return Some((d, 1));
    }
    if matches!(w, "a" | "an" | "um" | "uma") {
        // "a week", "uma semana": never a day.
        return None;
    }
    if let Some((tens, units)) = w.split_once('-') {
        let (t, u) = (small(tens)?, small(units)?);
        return (t >= 20 && u < 10 && t + u <= 31).then_some((t + u, 1));
    }
    let first = small(w)?;
    // "primeiro voo da manhã", "first flight out": an order, not a day.
    if matches!(
        words.at(i + 1),
        "voo" | "voos" | "flight" | "flights" | "horario" | "classe" | "class"
    ) {
        return None;
    }
    if first >= 20 {
        let (next, skip) = if words.at(i + 1) == "e" {
            (words.at(i + 2), 2)
        } else {
            (words.at(i + 1), 1)
        };
        if let Some(u) = small(next).filter(|u| *u < 10 && first + u <= 31) {
            return Some((first + u, 1 + skip));
        }
    }
    Some((first, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Option<(u32, usize)> {
        day_at(&Words::new(text), 0)
    }

    #[test]
    fn days_are_read_in_digits_and_words_of_both_languages() {
        assert_eq!(day("10th"), Some((10, 1)));
        assert_eq!(day("1º"), Some((1, 1)));
        assert_eq!(day("twenty fifth"), Some((25, 2)));
        assert_eq!(day("twenty-five"), Some((25, 1)));
        assert_eq!(day("vinte e cinco"), Some((25, 3)));
        assert_eq!(day("primeiro"), Some((1, 1)));
        assert_eq!(day("a"), None);
        assert_eq!(day("2026"), None);
    }
}

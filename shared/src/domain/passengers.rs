use serde::{Deserialize, Serialize};

use super::FieldError;

/// Who is flying: adults (12+), children (2–11) and lap infants (under 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Party")]
pub struct Passengers {
    adults: u8,
    children: u8,
    infants: u8,
}

impl Passengers {
    /// Most seats one booking can hold: the limit airlines and GDSs apply
    /// to a single passenger name record.
    pub const MAX_SEATS: u8 = 9;

    /// Checks the party: at least one adult, at most one lap infant per adult,
    /// at most [`Self::MAX_SEATS`] seats (lap infants take none).
    ///
    /// # Errors
    /// Names the field that breaks a rule (`adults`, `children`, `infants`).
    pub fn new(adults: u32, children: u32, infants: u32) -> Result<Self, FieldError> {
        let max = u32::from(Self::MAX_SEATS);
        if adults == 0 {
            return Err(FieldError::new("adults", "at least one adult must travel"));
        }
        if adults > max {
            return Err(FieldError::new(
                "adults",
                format!("at most {max} seats per booking, got {adults} adults"),
            ));
        }
        let seats = adults.saturating_add(children);
        if seats > max {
            return Err(FieldError::new(
                "children",
                format!("at most {max} seats per booking, got {seats} (adults and children)"),
            ));
        }
        if infants > adults {
            return Err(FieldError::new(
                "infants",
                format!("each lap infant needs an adult: {infants} infants for {adults} adults"),
            ));
        }
        // All three are at most 9 here.
        Ok(Self {
            adults: adults as u8,
            children: children as u8,
            infants: infants as u8,
        })
    }

    /// Adults (12 and over).
    pub fn adults(&self) -> u8 {
        self.adults
    }
    /// Children (2 to 11).
    pub fn children(&self) -> u8 {
        self.children
    }
    /// Lap infants (under 2), one per adult at most.
    pub fn infants(&self) -> u8 {
        self.infants
    }
    /// Seats the party occupies.
    pub fn seats(&self) -> u8 {
        self.adults + self.children
    }
}

/// The party as stored or sent, checked by [`Passengers::new`] on the way in.
#[derive(Deserialize)]
struct Party {
    adults: u32,
    children: u32,
    infants: u32,
}

impl TryFrom<Party> for Passengers {
    type Error = FieldError;
    fn try_from(p: Party) -> Result<Self, FieldError> {
        Self::new(p.adults, p.children, p.infants)
    }
}

impl Default for Passengers {
    fn default() -> Self {
        Self {
            adults: 1,
            children: 0,
            infants: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn party_rules_name_the_field() {
        assert_eq!(Passengers::new(0, 1, 0).unwrap_err().field, "adults");
        assert_eq!(Passengers::new(2, 0, 3).unwrap_err().field, "infants");
        assert_eq!(Passengers::new(5, 5, 0).unwrap_err().field, "children");
        assert_eq!(Passengers::new(10, 0, 0).unwrap_err().field, "adults");
        assert_eq!(
            Passengers::new(1, u32::MAX, 0).unwrap_err().field,
            "children"
        );
        let ok = Passengers::new(2, 1, 2).unwrap();
        assert_eq!(ok.seats(), 3);
    }
}

//! The method's four stages, as a type: a stage is always one of the four, so no page, sheet
//! or file name has to clamp or check a number.

use std::fmt;

use serde::{Serialize, Serializer};

/// One of the four stages: 1 exploratory meeting, 2 briefings, 3 agreement, referrals and
/// teaching, 4 follow-up. Written and compared as its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stage(u8);

impl Stage {
    pub(crate) const EXPLORATORY: Stage = Stage(1);
    pub(crate) const BRIEFINGS: Stage = Stage(2);
    pub(crate) const AGREEMENT: Stage = Stage(3);
    pub const FOLLOW_UP: Stage = Stage(4);
    /// Every stage, in order.
    pub const ALL: [Stage; 4] = [
        Stage::EXPLORATORY,
        Stage::BRIEFINGS,
        Stage::AGREEMENT,
        Stage::FOLLOW_UP,
    ];

    /// Stage `number`, if there is one.
    pub(crate) fn new(number: u8) -> Option<Stage> {
        (1..=4).contains(&number).then_some(Stage(number))
    }

    /// 1 to 4.
    pub fn number(self) -> u8 {
        self.0
    }

    /// 0 to 3: the stage's place in anything kept per stage, such as the days stages began.
    pub(crate) fn index(self) -> usize {
        usize::from(self.0 - 1)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Stage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_is_one_of_four() {
        assert_eq!(Stage::new(0), None);
        assert_eq!(Stage::new(5), None);
        let numbers: Vec<u8> = Stage::ALL.iter().map(|s| s.number()).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert_eq!(Stage::FOLLOW_UP.index(), 3);
        assert_eq!(serde_json::to_string(&Stage::BRIEFINGS).unwrap(), "2");
    }
}

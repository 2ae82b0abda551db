//! Repeated paragraphs: scrapers often pick up a block twice (as a teaser and in the body);
//! the first copy is kept. Only prose counts, at least 15 words ending a sentence: short lines
//! and list entries repeat legitimately (the label under each heading of a schedule, the same
//! meal in each week of a plan). Counting every line deleted 148 labels from one page of the
//! extraction benchmark, and a quarter of another's recall. Copies inside one block are
//! [`super::repeated_passages`].

/// The rule name recorded for a dropped copy.
pub(super) const RULE: &str = "repeated-paragraph";

/// The paragraphs of prose seen so far in a report. Seeded hashing: the keys are report text.
pub(super) type Seen = foldhash::HashSet<String>;

/// Whether `paragraph` is prose already in `seen`; prose not seen yet is added.
pub(super) fn repeats(paragraph: &str, seen: &mut Seen) -> bool {
    crate::text::has_words(paragraph, 15)
        && ends_sentence(paragraph)
        && !seen.insert(paragraph.to_string())
}

fn ends_sentence(paragraph: &str) -> bool {
    paragraph
        .trim_end_matches(['"', '\'', ')'])
        .ends_with(['.', '!', '?'])
}

#[cfg(test)]
mod tests {
    use crate::clean::run;

    #[test]
    fn repeated_list_entries_stay_repeated_prose_goes() {
        let entry =
            "Asparagus and Eggs [1 cup asparagus, 2 soft-boiled or poached eggs, ½ cup sweet \
                     potato (or 1 slice whole-grain toast), 1 tsp. olive oil for potatoes]";
        let teaser = "The plan swaps one snack for a second breakfast, and keeps every meal under \
                      five hundred calories.";
        let c = run(&[
            teaser, "Week 1", "Meal 1", entry, "Week 2", "Meal 1", entry, teaser,
        ]);
        assert_eq!(
            c.paragraphs,
            [teaser, "Week 1", "Meal 1", entry, "Week 2", "Meal 1", entry]
        );
        assert_eq!(c.removed.len(), 1);
        assert_eq!(c.removed[0].rule, "repeated-paragraph");
    }

    #[test]
    fn repeated_paragraphs_are_dropped() {
        let block = "The council said the bridge would stay closed until every support had been checked by engineers.";
        let c = run(&[
            block,
            "Eat every 2-3 hours",
            "Other.",
            block,
            "Eat every 2-3 hours",
        ]);
        assert_eq!(
            c.paragraphs,
            [
                block,
                "Eat every 2-3 hours",
                "Other.",
                "Eat every 2-3 hours"
            ]
        );
        assert_eq!(c.removed.len(), 1);
        assert_eq!(c.removed[0].rule, "repeated-paragraph");
    }
}

//! Story ids across a regrouping: which id each new group keeps, which ids are merged away and
//! which groups are new stories.
//!
//! Readers hold story ids, so a regrouping (the former's merges, the final pass's splits and
//! merges) must keep as many working as it can. An id stays with the group that now holds its
//! oldest report: a story that splits keeps its id on its older part, and the other part is a
//! new story (a split). A group that holds the oldest reports of several ids keeps the one with
//! the most reports in it (on a tie, the older), and the others are merged into it: readers of a
//! merged id are sent on to the survivor.

use super::cluster::Key;
use std::cmp::Reverse;
use std::collections::HashMap;

/// What a regrouping does to the story ids readers have seen.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Naming {
    /// The id each group keeps, in the groups' order; `None`: a story new to readers.
    pub ids: Vec<Option<String>>,
    /// (id merged away, the id its reports now live under).
    pub merged: Vec<(String, String)>,
    /// Groups split off a story that keeps its id elsewhere: each is a new story.
    pub splits: usize,
}

/// Names `groups` (report keys) after the stories their reports were shown in (`shown`:
/// report -> story id; reports new to readers are not in it).
pub fn name(groups: &[Vec<Key>], shown: &HashMap<Key, String>) -> Naming {
    // Each id's oldest report among the groups and that report's group, and the reports of
    // each id in each group.
    let mut owner: HashMap<&str, (Key, usize)> = HashMap::new();
    let mut count: HashMap<(usize, &str), usize> = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        for key in group {
            if let Some(id) = shown.get(key) {
                let oldest = owner.entry(id).or_insert((*key, g));
                if *key < oldest.0 {
                    *oldest = (*key, g);
                }
                *count.entry((g, id)).or_default() += 1;
            }
        }
    }
    let mut owned: Vec<Vec<(&str, Key)>> = vec![Vec::new(); groups.len()];
    for (id, (oldest, g)) in owner {
        owned[g].push((id, oldest));
    }
    let mut naming = Naming::default();
    for (g, ids) in owned.iter_mut().enumerate() {
        ids.sort_by_key(|&(id, oldest)| (Reverse(count[&(g, id)]), oldest));
        let keep = ids.first().map(|(id, _)| id.to_string());
        match &keep {
            Some(survivor) => naming.merged.extend(
                ids[1..]
                    .iter()
                    .map(|(id, _)| (id.to_string(), survivor.clone())),
            ),
            None if groups[g].iter().any(|k| shown.contains_key(k)) => naming.splits += 1,
            None => {}
        }
        naming.ids.push(keep);
    }
    naming
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(stories: &[(&str, &[Key])]) -> HashMap<Key, String> {
        stories
            .iter()
            .flat_map(|(id, keys)| keys.iter().map(move |k| (*k, id.to_string())))
            .collect()
    }

    #[test]
    fn a_split_keeps_the_id_on_the_older_part_and_a_merge_on_the_larger_story() {
        let before = shown(&[("a", &[1, 2, 5, 6]), ("b", &[3, 4]), ("c", &[7])]);
        // "a" splits: {1, 2} stays "a"; {5, 6} with the new 8 is new. "b" and "c" merge.
        let groups = [vec![1, 2], vec![3, 4, 7], vec![5, 6, 8]];
        let naming = name(&groups, &before);
        assert_eq!(
            naming,
            Naming {
                ids: vec![Some("a".into()), Some("b".into()), None],
                merged: vec![("c".into(), "b".into())],
                splits: 1,
            }
        );
        // A group of reports nobody has seen is new, not a split.
        assert_eq!(name(&[vec![9]], &before).splits, 0);
    }

    #[test]
    fn stories_of_one_size_merge_into_the_older() {
        let before = shown(&[("a", &[1, 4]), ("b", &[2, 3])]);
        let naming = name(&[vec![1, 2, 3, 4]], &before);
        assert_eq!(naming.ids, [Some("a".to_string())]);
        assert_eq!(naming.merged, [("b".to_string(), "a".to_string())]);
    }
}

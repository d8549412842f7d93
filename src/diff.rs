//! What changed between two versions of a report or 汇编 (their [`Snapshot`]s): the figures
//! by name and the sentences, for the note to the leader and for `build --watch`.
//!
//! [`Snapshot`]: crate::pipeline::Snapshot

/// Splits text into sentences, each keeping its closing mark.
pub fn sentences(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| sentences_of(l))
        .map(str::to_owned)
        .collect()
}

/// The sentences of one line, each keeping its closing mark; a rest without one is a
/// sentence unless blank.
pub fn sentences_of(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line;
    std::iter::from_fn(move || {
        let ends = |(_, c): &(usize, char)| matches!(c, '。' | '！' | '？' | '；');
        match rest.char_indices().find(ends) {
            Some((at, mark)) => {
                let (sentence, after) = rest.split_at(at + mark.len_utf8());
                rest = after;
                Some(sentence)
            }
            None => {
                let last = std::mem::take(&mut rest);
                (!last.trim().is_empty()).then_some(last)
            }
        }
    })
}

/// The figures that differ: name, old value, new value (`—` where a side lacks it).
pub fn figure_changes(old: &[(String, String)], new: &[(String, String)]) -> Vec<(String, String, String)> {
    let find =
        |list: &[(String, String)], name: &str| list.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let mut names: Vec<&String> = old.iter().map(|(n, _)| n).collect();
    names.extend(
        new.iter()
            .map(|(n, _)| n)
            .filter(|n| !old.iter().any(|(o, _)| o == *n)),
    );
    names
        .into_iter()
        .filter_map(|n| {
            let (a, b) = (find(old, n), find(new, n));
            (a != b).then(|| {
                (
                    n.clone(),
                    a.unwrap_or_else(|| "—".into()),
                    b.unwrap_or_else(|| "—".into()),
                )
            })
        })
        .collect()
}

/// The sentences that differ, in order: (old, new), either side empty for an addition or removal.
pub fn sentence_changes(old: &[String], new: &[String]) -> Vec<(Vec<String>, Vec<String>)> {
    use similar::{capture_diff_slices, Algorithm, DiffOp};
    capture_diff_slices(Algorithm::Myers, old, new)
        .into_iter()
        .filter_map(|op| match op {
            DiffOp::Equal { .. } => None,
            DiffOp::Delete {
                old_index, old_len, ..
            } => Some((old[old_index..old_index + old_len].to_vec(), vec![])),
            DiffOp::Insert {
                new_index, new_len, ..
            } => Some((vec![], new[new_index..new_index + new_len].to_vec())),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => Some((
                old[old_index..old_index + old_len].to_vec(),
                new[new_index..new_index + new_len].to_vec(),
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sentences_keep_their_marks() {
        let lines = [
            "办复率为100%。满意吗？满意；很好！".to_owned(),
            "没有句号".to_owned(),
            "  ".to_owned(),
        ];
        assert_eq!(
            super::sentences(&lines),
            ["办复率为100%。", "满意吗？", "满意；", "很好！", "没有句号"]
        );
    }
}

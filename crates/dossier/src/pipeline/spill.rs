//! Reports and stories kept in temporary files while a big pile is analysed and rendered, each
//! read back when its story is built or written. Held in memory, every report of a crawl stays
//! until the output is written (about 20 KB of text, sentences and ids each, more than half of a
//! build's memory at 28,000 pages), and every story with its copy links (about 7 KB a report);
//! on disk, memory holds only the reports and stories in hand.

use crate::model::Items;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::marker::PhantomData;
use std::sync::Mutex;

/// Items (reports or stories) as JSON, one after another, with where each starts. JSON because
/// the model already serialises to it and its optional fields are skipped when empty, which
/// compact binary formats cannot read back.
pub struct Spill<T> {
    state: Mutex<State>,
    /// (offset, length) of each item, in order.
    at: Vec<(u64, usize)>,
    end: u64,
    items: PhantomData<fn() -> T>,
}

enum State {
    Writing(BufWriter<File>),
    Reading(File),
}

impl<T: Serialize + DeserializeOwned> Spill<T> {
    /// A spill in the system's temporary folder (`TMPDIR`); the file has no name, so it is gone
    /// when the process ends, however it ends.
    pub fn new() -> io::Result<Spill<T>> {
        Ok(Spill {
            state: Mutex::new(State::Writing(BufWriter::new(tempfile::tempfile()?))),
            at: Vec::new(),
            end: 0,
            items: PhantomData,
        })
    }

    /// Writes an item; returns its position among those written.
    pub fn push(&mut self, item: &T) -> io::Result<usize> {
        let bytes = serde_json::to_vec(item)?;
        match self.state.get_mut().unwrap_or_else(|e| e.into_inner()) {
            State::Writing(out) => out.write_all(&bytes)?,
            State::Reading(_) => return Err(io::Error::other("spill already read")),
        }
        self.at.push((self.end, bytes.len()));
        self.end += bytes.len() as u64;
        Ok(self.at.len() - 1)
    }

    /// Puts the items in another order: `order` lists positions [`Spill::push`] returned, each
    /// once. Items built in parallel are written as they are done, not in their order.
    pub fn reorder(&mut self, order: &[usize]) {
        self.at = order.iter().map(|&p| self.at[p]).collect();
    }

    /// Ends writing: the items can be read from here on.
    pub fn finish(&mut self) -> io::Result<()> {
        let state = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        if let State::Writing(out) = state {
            out.flush()?;
            let file = out.get_ref().try_clone()?;
            *state = State::Reading(file);
        }
        Ok(())
    }

    fn read(&self, i: usize) -> io::Result<T> {
        let (offset, len) = self.at[i];
        let mut bytes = vec![0; len];
        {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let State::Reading(file) = &mut *state else {
                return Err(io::Error::other("spill read before it was finished"));
            };
            file.seek(SeekFrom::Start(offset))?;
            file.read_exact(&mut bytes)?;
        }
        Ok(serde_json::from_slice(&bytes)?)
    }
}

impl<T: Clone + Serialize + DeserializeOwned> Items<T> for Spill<T> {
    fn len(&self) -> usize {
        self.at.len()
    }

    fn get(&self, i: usize) -> io::Result<Cow<'_, T>> {
        self.read(i).map(Cow::Owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_report;

    #[test]
    fn reports_come_back_as_written() {
        let reports = [
            test_report("a", &["One sentence.", "Another one."]),
            test_report("b", &["A third."]),
        ];
        let mut spill = Spill::new().unwrap();
        for r in &reports {
            spill.push(r).unwrap();
        }
        spill.finish().unwrap();
        assert_eq!(spill.len(), 2);
        assert_eq!(*spill.get(1).unwrap(), reports[1]);
        assert_eq!(*spill.get(0).unwrap(), reports[0]);
        spill.reorder(&[1, 0]);
        assert_eq!(*spill.get(0).unwrap(), reports[1]);
    }
}

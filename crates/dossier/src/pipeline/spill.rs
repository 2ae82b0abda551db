//! Reports kept in a temporary file while a big pile is analysed and rendered, each read back
//! when its story is built or written. Held in memory, every report of a crawl stays until the
//! output is written (about 20 KB of text, sentences and ids each, more than half of a build's
//! memory at 28,000 pages); on disk, memory holds only the reports of the stories in hand.

use crate::model::{Report, Reports};
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

/// Reports as JSON, one after another, with where each starts. JSON because the model already
/// serialises to it and its optional fields are skipped when empty, which compact binary
/// formats cannot read back.
pub struct Spill {
    state: Mutex<State>,
    /// (offset, length) of each report, in input order.
    at: Vec<(u64, usize)>,
    end: u64,
}

enum State {
    Writing(BufWriter<File>),
    Reading(File),
}

impl Spill {
    /// A spill in the system's temporary folder (`TMPDIR`); the file has no name, so it is gone
    /// when the process ends, however it ends.
    pub fn new() -> io::Result<Spill> {
        Ok(Spill {
            state: Mutex::new(State::Writing(BufWriter::new(tempfile::tempfile()?))),
            at: Vec::new(),
            end: 0,
        })
    }

    pub fn push(&mut self, report: &Report) -> io::Result<()> {
        let bytes = serde_json::to_vec(report)?;
        match self.state.get_mut().unwrap_or_else(|e| e.into_inner()) {
            State::Writing(out) => out.write_all(&bytes)?,
            State::Reading(_) => return Err(io::Error::other("spill already read")),
        }
        self.at.push((self.end, bytes.len()));
        self.end += bytes.len() as u64;
        Ok(())
    }

    /// Ends writing: the reports can be read from here on.
    pub fn finish(&mut self) -> io::Result<()> {
        let state = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        if let State::Writing(out) = state {
            out.flush()?;
            let file = out.get_ref().try_clone()?;
            *state = State::Reading(file);
        }
        Ok(())
    }

    fn read(&self, i: usize) -> io::Result<Report> {
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

impl Reports for Spill {
    fn len(&self) -> usize {
        self.at.len()
    }

    fn report(&self, i: usize) -> io::Result<Cow<'_, Report>> {
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
        assert_eq!(*spill.report(1).unwrap(), reports[1]);
        assert_eq!(*spill.report(0).unwrap(), reports[0]);
    }
}

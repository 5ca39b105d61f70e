//! A line filter in front of the candidate regex. A DFA step is one table
//! load that depends on the previous one, so a single search runs at the
//! latency of that load, whether the DFA is lazy or full. This filter walks
//! several stretches of a segment at once with the same lazy DFA, so the
//! loads overlap, and returns the lines in which the regex can match. The
//! full search then runs only on those lines.
//!
//! This is exact only when no match can contain a newline, which holds for
//! the built-in patterns. Custom patterns may span lines, so the engine does
//! not use the filter when any are configured.

use std::sync::Mutex;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};

/// Stretches walked at once, so that the table loads of one step overlap.
/// `walk_untagged` spells out exactly this many.
const LANES: usize = 4;

/// Segments shorter than this are searched whole, without the filter, whose
/// setup would cost more than it saves. A rough choice, not a tuned one.
const MIN_FILTERED: usize = 16 * 1024;

/// The filter DFA and a pool of caches for it, one per concurrent scan.
pub struct LineFilter {
    dfa: DFA,
    caches: Mutex<Vec<Cache>>,
}

/// One stretch of the segment being walked.
#[derive(Clone, Copy)]
struct Lane {
    /// Next byte to read.
    at: usize,
    /// First byte of the line being walked, or of the stretch.
    line_start: usize,
    /// End of the stretch: just after a newline, or the end of the data.
    end: usize,
    state: LazyStateID,
}

impl LineFilter {
    /// Builds the filter over the same patterns and syntax as the candidate
    /// regex.
    pub fn new(patterns: &[&str], syntax: syntax::Config) -> Result<LineFilter, String> {
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::LeftmostFirst).cache_capacity(16 << 20))
            .syntax(syntax)
            .thompson(thompson::Config::new().utf8(false))
            .build_many(patterns)
            .map_err(|error| error.to_string())?;
        Ok(LineFilter { dfa, caches: Mutex::new(Vec::new()) })
    }

    /// Returns the spans of `data[from..]` that contain every line on which a
    /// pattern matches, in order and without overlap. Returns `None` when the
    /// filter cannot decide, because the segment is short or the lazy DFA's
    /// cache was cleared during the walk. The caller then searches everything.
    pub fn candidate_lines(&self, data: &[u8], from: usize) -> Option<Vec<(usize, usize)>> {
        if data.len() - from < MIN_FILTERED {
            return None;
        }
        let mut cache = self.caches.lock().ok()?.pop().unwrap_or_else(|| self.dfa.create_cache());
        let result = self.walk(&mut cache, data, from);
        if let Ok(mut caches) = self.caches.lock() {
            caches.push(cache);
        }
        result
    }

    fn walk(&self, cache: &mut Cache, data: &[u8], from: usize) -> Option<Vec<(usize, usize)>> {
        let clears = cache.clear_count();
        let mut lanes = [Lane { at: 0, line_start: 0, end: 0, state: LazyStateID::default() }; LANES];
        let mut start = from;
        for (index, lane) in lanes.iter_mut().enumerate() {
            // Each stretch after the first starts just after a newline, so no
            // match crosses from one stretch into the next.
            let end = if index + 1 == LANES {
                data.len()
            } else {
                let nominal = (from + (data.len() - from) * (index + 1) / LANES).max(start);
                memchr::memchr(b'\n', &data[nominal..]).map_or(data.len(), |i| nominal + i + 1)
            };
            let state = self.start_state(cache, data, start)?;
            *lane = Lane { at: start, line_start: start, end, state };
            start = end;
        }
        if cache.clear_count() != clears {
            return None;
        }

        let mut found: [Vec<(usize, usize)>; LANES] = Default::default();
        loop {
            self.walk_untagged(cache, data, &mut lanes);
            // One careful step per lane: it computes missing states, records
            // matching lines and finishes stretches that the fast walk left.
            let mut active = false;
            for (lane, spans) in lanes.iter_mut().zip(found.iter_mut()) {
                if lane.at >= lane.end {
                    continue;
                }
                active = true;
                let byte = data[lane.at];
                let fast = (!lane.state.is_tagged()).then(|| self.dfa.next_state_untagged(cache, lane.state, byte));
                let next = match fast {
                    Some(next) if !next.is_unknown() => next,
                    _ => {
                        let next = self.dfa.next_state(cache, lane.state, byte).ok()?;
                        if cache.clear_count() != clears {
                            // A clear invalidates the states the other lanes hold.
                            return None;
                        }
                        next
                    }
                };
                lane.at += 1;
                lane.state = next;
                if next.is_match() || next.is_dead() || next.is_quit() {
                    // Matches are reported one byte late: the match ends
                    // before the byte just read, `at - 1`, so its last byte,
                    // `at - 2`, is on the line to record.
                    let inside = (lane.at - 1).saturating_sub(1).max(lane.line_start);
                    self.record_line(data, lane, inside, spans);
                    if lane.at < lane.end {
                        lane.state = self.start_state(cache, data, lane.at)?;
                        if cache.clear_count() != clears {
                            return None;
                        }
                    }
                }
            }
            if !active {
                break;
            }
        }

        // The stretch that ends at the end of the data needs the DFA's
        // end-of-input transition to report a match that ends there.
        for (lane, spans) in lanes.iter().zip(found.iter_mut()) {
            if lane.end != data.len() || lane.line_start >= lane.end || lane.at != lane.end {
                continue;
            }
            let eoi = self.dfa.next_eoi_state(cache, lane.state).ok()?;
            if eoi.is_match() || eoi.is_dead() || eoi.is_quit() {
                let inside = lane.end - 1;
                let line_start = memchr::memrchr(b'\n', &data[lane.line_start..inside]).map_or(lane.line_start, |i| lane.line_start + i + 1);
                push_merged(spans, (line_start, lane.end));
            }
        }
        if cache.clear_count() != clears {
            return None;
        }

        let mut spans = Vec::new();
        for lane_spans in found {
            for span in lane_spans {
                push_merged(&mut spans, span);
            }
        }
        Some(spans)
    }

    /// Advances every lane while all of them are inside their stretch and in
    /// states that are already computed and neither match nor start states.
    /// It stops, without taking the step, before the first byte that leads
    /// any lane into a tagged state.
    fn walk_untagged(&self, cache: &Cache, data: &[u8], lanes: &mut [Lane; LANES]) {
        if lanes.iter().any(|lane| lane.at >= lane.end || lane.state.is_tagged()) {
            return;
        }
        // The four lanes are spelled out so that the compiler can keep their
        // states in registers and the four table loads of a step overlap. A
        // loop over the lane array measured no faster than one search.
        let steps = lanes.iter().map(|lane| lane.end - lane.at).min().unwrap_or(0);
        let [a, b, c, d] = [&data[lanes[0].at..], &data[lanes[1].at..], &data[lanes[2].at..], &data[lanes[3].at..]];
        let (a, b, c, d) = (&a[..steps], &b[..steps], &c[..steps], &d[..steps]);
        let [mut sa, mut sb, mut sc, mut sd] = [lanes[0].state, lanes[1].state, lanes[2].state, lanes[3].state];
        let mut steps_taken = 0;
        while steps_taken < steps {
            let na = self.dfa.next_state_untagged(cache, sa, a[steps_taken]);
            let nb = self.dfa.next_state_untagged(cache, sb, b[steps_taken]);
            let nc = self.dfa.next_state_untagged(cache, sc, c[steps_taken]);
            let nd = self.dfa.next_state_untagged(cache, sd, d[steps_taken]);
            if na.is_tagged() | nb.is_tagged() | nc.is_tagged() | nd.is_tagged() {
                break;
            }
            (sa, sb, sc, sd) = (na, nb, nc, nd);
            steps_taken += 1;
        }
        for (lane, state) in lanes.iter_mut().zip([sa, sb, sc, sd]) {
            lane.at += steps_taken;
            lane.state = state;
        }
    }

    fn start_state(&self, cache: &mut Cache, data: &[u8], at: usize) -> Option<LazyStateID> {
        self.dfa.start_state_forward(cache, &Input::new(data).span(at..data.len())).ok()
    }

    /// Records the line that contains byte `inside` and moves the lane to the
    /// start of the next line.
    fn record_line(&self, data: &[u8], lane: &mut Lane, inside: usize, spans: &mut Vec<(usize, usize)>) {
        let line_start = memchr::memrchr(b'\n', &data[lane.line_start..inside]).map_or(lane.line_start, |i| lane.line_start + i + 1);
        let line_end = memchr::memchr(b'\n', &data[inside..lane.end]).map_or(lane.end, |i| inside + i);
        push_merged(spans, (line_start, line_end));
        lane.at = (line_end + 1).min(lane.end);
        lane.line_start = lane.at;
    }
}

/// Appends a span, joining it to the previous one when at most a newline
/// separates them.
fn push_merged(spans: &mut Vec<(usize, usize)>, span: (usize, usize)) {
    if let Some(last) = spans.last_mut() {
        if span.0 <= last.1 + 1 {
            last.1 = last.1.max(span.1);
            return;
        }
    }
    spans.push(span);
}

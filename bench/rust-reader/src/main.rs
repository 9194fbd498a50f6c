//! retis-rust-reader <mode> <file>
//!
//! The native baseline of `npm run bench`: reads a Retis events file (`retis collect -o`, JSON Lines) the way
//! Retis's own reader does — serde_json, one pass per line, the sections Retis's tools use most
//! (`common`, `kernel`, `skb-tracking`, `skb-drop`) into typed structs, every other section kept as a
//! `serde_json::Value`. The modes say what is done with each event once it is read:
//!
//!   timestamp  touch `common.timestamp`             prints `events N timestamp_sum S`
//!   sections   read every present section's fields  prints `events N sections K leaves L timestamp_sum S`
//!   stats      what `retis stats` counts             prints `events N first T last T` (the startup event left
//!                                                   out), then `probe <type>/<symbol> <count>` and
//!                                                   `drop [<subsys>/]<reason> <count>` lines, sorted by name
//!
//! A line that is not a valid event ends the run with `<file>:<line>: <serde error>` and exit status 1.
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::process::exit;

#[allow(dead_code)]
#[derive(Deserialize)]
struct Task {
    pid: i32,
    tgid: i32,
    comm: String,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Common {
    timestamp: u64,
    smp_id: Option<u32>,
    task: Option<Task>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Kernel {
    symbol: String,
    probe_type: String,
    stack_trace: Option<Vec<String>>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct SkbTracking {
    orig_head: u64,
    timestamp: u64,
    skb: u64,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct SkbDrop {
    drop_reason: String,
    subsys: Option<String>,
}

/// One event: the four typed sections, and the others by name, in file order.
struct Event {
    common: Option<Common>,
    kernel: Option<Kernel>,
    skb_tracking: Option<SkbTracking>,
    skb_drop: Option<SkbDrop>,
    others: Vec<(String, Value)>,
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EventVisitor;
        impl<'de> Visitor<'de> for EventVisitor {
            type Value = Event;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an event object")
            }
            // One pass over the object: each key picks the type its value is read into.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
                let mut e = Event { common: None, kernel: None, skb_tracking: None, skb_drop: None, others: Vec::new() };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "common" => e.common = Some(map.next_value()?),
                        "kernel" => e.kernel = Some(map.next_value()?),
                        "skb-tracking" => e.skb_tracking = Some(map.next_value()?),
                        "skb-drop" => e.skb_drop = Some(map.next_value()?),
                        _ => {
                            let v: Value = map.next_value()?;
                            e.others.push((key, v));
                        }
                    }
                }
                if e.common.is_none() {
                    return Err(de::Error::missing_field("common"));
                }
                Ok(e)
            }
        }
        d.deserialize_map(EventVisitor)
    }
}

/// Leaves (numbers, strings, booleans, nulls) under a value, each string's bytes read once.
fn leaves(v: &Value, bytes: &mut u64) -> u64 {
    match v {
        Value::Object(m) => m.values().map(|x| leaves(x, bytes)).sum(),
        Value::Array(a) => a.iter().map(|x| leaves(x, bytes)).sum(),
        Value::String(s) => {
            *bytes += s.len() as u64;
            1
        }
        _ => 1,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 || !["timestamp", "sections", "stats"].contains(&args[1].as_str()) {
        eprintln!("usage: retis-rust-reader timestamp|sections|stats <file>");
        exit(2);
    }
    let (mode, path) = (args[1].as_str(), args[2].as_str());
    let file = File::open(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        exit(1)
    });
    let mut input = BufReader::with_capacity(1 << 20, file);
    let mut line = String::new();
    let (mut n, mut lineno, mut ts_sum, mut sections, mut nleaves, mut bytes) = (0u64, 0u64, 0u128, 0u64, 0u64, 0u64);
    let mut per_drop: BTreeMap<String, u64> = BTreeMap::new();
    let (mut first, mut last) = (u64::MAX, 0u64);
    let mut per_probe: BTreeMap<String, u64> = BTreeMap::new();
    loop {
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("{path}: {e}");
                exit(1)
            }
        }
        lineno += 1;
        if line.trim().is_empty() {
            continue;
        }
        let e: Event = serde_json::from_str(&line).unwrap_or_else(|err| {
            eprintln!("{path}:{lineno}: {err}");
            exit(1)
        });
        n += 1;
        let common = e.common.as_ref().unwrap();
        ts_sum += common.timestamp as u128;
        match mode {
            "timestamp" => {}
            "sections" => {
                // Every field of the typed sections, and every leaf of the others.
                sections += 1;
                nleaves += 1 + common.smp_id.is_some() as u64;
                if let Some(t) = &common.task {
                    nleaves += 3;
                    bytes += t.comm.len() as u64 + (t.pid ^ t.tgid == 0) as u64;
                }
                if let Some(k) = &e.kernel {
                    sections += 1;
                    nleaves += 2;
                    bytes += (k.symbol.len() + k.probe_type.len()) as u64;
                    if let Some(st) = &k.stack_trace {
                        nleaves += st.len() as u64;
                        bytes += st.iter().map(|s| s.len() as u64).sum::<u64>();
                    }
                }
                if let Some(t) = &e.skb_tracking {
                    sections += 1;
                    nleaves += 3;
                    bytes += ((t.orig_head ^ t.timestamp ^ t.skb) & 1) as u64;
                }
                if let Some(d) = &e.skb_drop {
                    sections += 1;
                    nleaves += 1 + d.subsys.is_some() as u64;
                    bytes += d.drop_reason.len() as u64;
                }
                for (_, v) in &e.others {
                    sections += 1;
                    nleaves += leaves(v, &mut bytes);
                }
            }
            _ => {
                // What `retis stats` reports: events, first and last time, events per probe, drop reasons.
                if e.others.iter().any(|(k, _)| k == "startup") {
                    n -= 1;
                    continue;
                }
                first = first.min(common.timestamp);
                last = last.max(common.timestamp);
                if let Some(k) = &e.kernel {
                    *per_probe.entry(format!("{}/{}", k.probe_type, k.symbol)).or_insert(0) += 1;
                }
                if let Some(d) = &e.skb_drop {
                    let r = match &d.subsys {
                        Some(s) => format!("{s}/{}", d.drop_reason),
                        None => d.drop_reason.clone(),
                    };
                    *per_drop.entry(r).or_insert(0) += 1;
                }
            }
        }
    }
    let out = std::io::stdout();
    let mut out = out.lock();
    let _ = match mode {
        "timestamp" => writeln!(out, "events {n} timestamp_sum {ts_sum}"),
        "sections" => writeln!(out, "events {n} sections {sections} leaves {nleaves} timestamp_sum {ts_sum} bytes {bytes}"),
        _ => {
            let _ = writeln!(out, "events {n} first {first} last {last}");
            for (k, c) in &per_probe {
                let _ = writeln!(out, "probe {k} {c}");
            }
            per_drop.iter().try_for_each(|(k, c)| writeln!(out, "drop {k} {c}"))
        }
    };
}

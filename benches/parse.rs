//! What refusing a request body costs, by shape: `cargo bench --bench parse`.
//!
//! Each shape is about the same size (58 KB, under the 64 KiB limit) and is parsed as a
//! login body, the one an anonymous client reaches. The figure to read is each shape's
//! time as a ratio of the plain body's, taken in the same run: near 1 means that the cost
//! follows the size of the body, not its shape. (Before the single-pass parser, 7,000
//! unknown fields took 1.9 s, quadratic in their number.)

use std::hint::black_box;
use std::time::{Duration, Instant};

use cadre_records::api::auth::LoginRequest;
use cadre_records::api::extract::parse_json;

const SIZE: usize = 58 * 1024;

fn shapes() -> Vec<(&'static str, String)> {
    let filler = "x".repeat(SIZE - 40);
    let mut unknown = String::from("{");
    let mut i = 0;
    while unknown.len() < SIZE - 16 {
        unknown.push_str(&format!("\"f{i}\":1,"));
        i += 1;
    }
    unknown.push_str("\"username\":\"a\"}");
    let duplicates = format!(
        "{{{}\"password\":\"b\"}}",
        "\"username\":\"a\",".repeat((SIZE - 20) / 15)
    );
    let depth = SIZE / 2 - 20;
    let deep = format!("{{\"username\":{}1{}}}", "[".repeat(depth), "]".repeat(depth));
    let controls = format!(
        "{{\"username\":\"{}\",\"password\":\"b\"}}",
        "\\u0000".repeat((SIZE - 40) / 6)
    );
    vec![
        ("plain: one long string", format!("{{\"username\":\"{filler}\"}}")),
        ("6,049 unknown fields", unknown),
        ("one key repeated 3,900 times", duplicates),
        ("nested 29,000 deep", deep),
        ("9,900 NUL characters", controls),
    ]
}

/// The median of several rounds of `runs` parses, per parse.
fn measure(body: &str, runs: u32) -> Duration {
    let mut rounds: Vec<Duration> = (0..7)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..runs {
                let refused = parse_json::<LoginRequest>(black_box(body.as_bytes())).is_err();
                assert!(refused, "every shape here is refused");
            }
            start.elapsed() / runs
        })
        .collect();
    rounds.sort();
    rounds[rounds.len() / 2]
}

fn main() {
    let shapes = shapes();
    let plain = measure(&shapes[0].1, 200);
    println!("{:<32} {:>8} {:>12} {:>8}", "shape", "bytes", "per parse", "ratio");
    for (name, body) in &shapes {
        let took = measure(body, 200);
        println!(
            "{name:<32} {:>8} {:>10.1}µs {:>8.2}",
            body.len(),
            took.as_secs_f64() * 1e6,
            took.as_secs_f64() / plain.as_secs_f64()
        );
    }
}

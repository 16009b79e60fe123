//! The OpenAI-compatible adapter's decoding of a streamed completion
//! (server-sent events: `data: {chunk}` lines, `data: [DONE]`). The first
//! byte seeds how the network cuts the rest into pieces. Properties: the
//! same bytes give the same answer, error and text deltas whether they
//! arrive whole, one byte at a time or in the seeded pieces; a whole
//! answer's text is exactly its deltas, in order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::fuzzing::model_stream;

fuzz_target!(|data: &[u8]| {
    let Some((&seed, stream)) = data.split_first() else {
        return;
    };
    let (whole, whole_deltas) = model_stream(&[stream]);
    let bytes: Vec<&[u8]> = stream.chunks(1).collect();
    let seeded = pieces(stream, seed);
    for (name, cut) in [("byte by byte", bytes), ("in pieces", seeded)] {
        let (result, deltas) = model_stream(&cut);
        assert_eq!(
            format!("{result:?}"),
            format!("{whole:?}"),
            "{name}: the answer depends on how the stream was cut"
        );
        assert_eq!(
            deltas, whole_deltas,
            "{name}: the deltas depend on the cuts"
        );
    }
    if let Ok(completion) = &whole {
        assert_eq!(completion.content, whole_deltas.concat());
    }
});

/// `stream` cut into pieces of 1 to 16 bytes, sizes drawn from `seed`.
fn pieces(stream: &[u8], seed: u8) -> Vec<&[u8]> {
    let mut state = u32::from(seed) | 0x100;
    let mut out = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        // xorshift: cheap, deterministic, and every seed gives other cuts.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state % 16 + 1) as usize;
        let (head, tail) = rest.split_at(n.min(rest.len()));
        out.push(head);
        rest = tail;
    }
    out
}

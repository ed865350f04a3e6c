"""External JACK client for continuo's MIDI clock tests (python jack-client, sample-exact).

--send-bpm B: plays Start, then --ticks MIDI clock ticks (0xF8) at B bpm, each moved by a uniform
random jitter of +-(--jitter-ms), then Stop, into --to (a JACK MIDI input port). With --interleave,
tick 10 rides inside a SysEx event and tick 20 inside a note-on/note-off pair in running status,
and a stray data byte follows tick 30 in its own event, as a raw hardware bridge may deliver them.
--listen S: records for S seconds what --from (a JACK MIDI output port) sends.
Prints "ready" once connected, then one JSON line {"sample_rate": R, "sent": [[frame, bytes...]],
"received": [[frame, bytes...]]}, frames on JACK's frame counter.
"""
import argparse
import collections
import json
import random
import sys
import threading
import time

import jack

parser = argparse.ArgumentParser()
parser.add_argument("--name", default="clockpeer")
parser.add_argument("--to")
parser.add_argument("--from", dest="source")
parser.add_argument("--send-bpm", type=float, default=0)
parser.add_argument("--ticks", type=int, default=48)
parser.add_argument("--jitter-ms", type=float, default=1.0)
parser.add_argument("--interleave", action="store_true")
parser.add_argument("--listen", type=float, default=0)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()

client = jack.Client(args.name, no_start_server=True)
out = client.midi_outports.register("out")
inp = client.midi_inports.register("in")
rate = client.samplerate

# The plan: (frame offset from the start frame, bytes), in frame order.
rng = random.Random(args.seed)
plan = []
if args.send_bpm > 0:
    period = rate * 60.0 / (args.send_bpm * 24)
    jitter = args.jitter_ms * rate / 1000.0
    plan.append((0, b"\xfa"))
    last = 0
    for k in range(args.ticks):
        frame = max(last, int(round(k * period + rng.uniform(-jitter, jitter)))) if k else 0
        last = frame
        if args.interleave and k == 10:
            plan.append((frame, b"\xf0\x7e\x7f\xf8\x06\x01\xf7"))
        elif args.interleave and k == 20:
            plan.append((frame, b"\x90\x3c\xf8\x64\x3c\x00"))
        else:
            plan.append((frame, b"\xf8"))
        if args.interleave and k == 30:
            plan.append((frame, b"\x3c"))
    plan.append((last + int(period), b"\xfc"))

pending = collections.deque()
sent = []
received = []
state = {"start": None, "go": False}
done = threading.Event()


@client.set_process_callback
def process(frames):
    out.clear_buffer()
    base = client.last_frame_time
    for offset, data in inp.incoming_midi_events():
        received.append([base + offset] + list(bytes(data)))
    if state["go"] and state["start"] is None:
        state["start"] = base + rate // 5
        pending.extend((state["start"] + f, d) for f, d in plan)
    while pending and pending[0][0] < base + frames:
        frame, data = pending.popleft()
        frame = max(frame, base)
        out.write_midi_event(frame - base, data)
        sent.append([frame] + list(data))
        if not pending:
            done.set()


with client:
    if args.to:
        client.connect(out, args.to)
    if args.source:
        client.connect(args.source, inp)
    print("ready", flush=True)
    if plan:
        time.sleep(0.2)
        state["go"] = True
        done.wait(60)
        time.sleep(0.2)
    if args.listen > 0:
        time.sleep(args.listen)
    result = {"sample_rate": rate, "sent": list(sent), "received": list(received)}
print(json.dumps(result), flush=True)

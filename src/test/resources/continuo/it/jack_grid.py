"""External JACK clients for continuo's grid and clock-out tests (python jack-client, sample-exact).

Two clients, so that the graph has no loop (a loop would hand continuo's output over a period
late): NAME-player:out is played into CLIENT:midi_in, NAME-listener:in records CLIENT:midi_out,
both at exact frames on JACK's frame counter. The peer connects them to CLIENT's ports itself;
with --wait it leaves that to continuo (run --in and --out, so that continuo is connected before
it sends anything: clock out's Start comes first) and starts only once told to.

The player: with --bpm B, Start, then MIDI clock (0xF8, 24 per beat) at B bpm, each tick moved by
a uniform random jitter of +-(--jitter-ms); beats are counted from Start. Then a phrase of
--notes quarter notes (each held 3/4 of a beat) from beat --phrase-beat, and --listen seconds
later (rounded to a tick) Stop (0xFC) in place of a tick, after which no tick is sent. Without
--bpm the same phrase is played without any clock, 0.25 s a note.

Protocol: "ready" on stdout once connected (with --wait: once the ports exist; then a line "go"
on stdin once continuo is connected and ready); then on stdout "phrase-done" once the phrase is
out, "stopped" after Stop (or --listen seconds after the phrase, without a clock), then after
--after-stop seconds "stop-now" (the test then ends continuo); the listener records until
continuo's ports are gone and --tail seconds more, then one JSON line: {"sample_rate": R, "start": frame of Start
(or of the first note), "tick_frames": P, "stop": frame of Stop (or null), "sent": [[frame,
bytes...]], "received": [[frame, bytes...]], "xruns": [frame of each xrun JACK reported]}.
"""
import argparse
import json
import random
import subprocess
import sys
import threading
import time

import jack

parser = argparse.ArgumentParser()
parser.add_argument("--client", default="continuo")
parser.add_argument("--name", default="gridpeer")
parser.add_argument("--bpm", type=float, default=0)
parser.add_argument("--jitter-ms", type=float, default=1.0)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--phrase-beat", type=int, default=4)
parser.add_argument("--notes", type=int, default=4)
parser.add_argument("--listen", type=float, default=3.0)
parser.add_argument("--after-stop", type=float, default=1.0)
parser.add_argument("--tail", type=float, default=0.5)
parser.add_argument("--wait", action="store_true")
args = parser.parse_args()

player = jack.Client(args.name + "-player", no_start_server=True)
listener = jack.Client(args.name + "-listener", no_start_server=True)
out = player.midi_outports.register("out")
inp = listener.midi_inports.register("in")
rate = player.samplerate
rng = random.Random(args.seed)

state = {"start": None, "go": False, "next_tick": 0, "stop": None}
notes = []  # (frame, bytes), in frame order; filled once the start frame is known
sent = []
received = []
xruns = []  # the frame time (estimated) of every xrun the server reported
phrase_done = threading.Event()
stopped = threading.Event()
tick_frames = rate * 60.0 / (args.bpm * 24) if args.bpm > 0 else 0.0
jitter = args.jitter_ms * rate / 1000.0


def plan(start):
    """The phrase's notes and the Stop tick, once Start's frame is known."""
    beat = 24 * tick_frames if args.bpm > 0 else rate // 4
    for i in range(args.notes):
        on = start + int(round((args.phrase_beat + i) * beat)) if args.bpm > 0 else start + i * beat
        off = on + int(round(0.75 * beat))
        pitch = [60, 64, 67, 72, 69, 65][i % 6]
        notes.append((on, bytes([0x90, pitch, 90])))
        notes.append((off, bytes([0x80, pitch, 0])))
    notes.sort(key=lambda n: n[0])
    if args.bpm > 0:
        end_tick = (args.phrase_beat + args.notes) * 24
        state["stop_tick"] = end_tick + int(round(args.listen * args.bpm / 60.0 * 24))


def tick_frame(k):
    if k == 0:
        return state["start"]
    return state["start"] + int(round(k * tick_frames + rng.uniform(-jitter, jitter)))


@player.set_xrun_callback
def xrun(delay):
    xruns.append(player.frame_time)


@player.set_process_callback
def play(frames):
    out.clear_buffer()
    base = player.last_frame_time
    end = base + frames
    if state["go"] and state["start"] is None:
        state["start"] = base + rate // 5
        plan(state["start"])
        if not notes:
            phrase_done.set()  # --notes 0: clock and transport only
        state["tick_at"] = tick_frame(0) if args.bpm > 0 else None
    if state["start"] is None:
        return
    events = []
    if args.bpm > 0 and state["start"] < end and not state.get("started"):
        events.append((state["start"], b"\xfa"))
        state["started"] = True
    while args.bpm > 0 and state["stop"] is None:
        k = state["next_tick"]
        if k == state["stop_tick"]:
            frame = state["start"] + int(round(k * tick_frames))
            if frame < end:
                events.append((frame, b"\xfc"))
                state["stop"] = frame
            break
        if state["tick_at"] >= end:
            break
        events.append((state["tick_at"], b"\xf8"))
        state["next_tick"] = k + 1
        state["tick_at"] = max(state["tick_at"], tick_frame(k + 1))
    while notes and notes[0][0] < end:
        events.append(notes.pop(0))
        if not notes:
            phrase_done.set()
    events.sort(key=lambda e: e[0])  # Start before a note at the same frame, ticks in order
    for frame, data in events:
        frame = max(frame, base)
        out.write_midi_event(frame - base, data)
        sent.append([frame] + list(data))
    if state["stop"] is not None and state["stop"] < end:
        stopped.set()


@listener.set_process_callback
def listen(frames):
    base = listener.last_frame_time
    for offset, data in inp.incoming_midi_events():
        received.append([base + offset] + list(bytes(data)))


def continuo_ports_gone():
    ports = subprocess.run(["jack_lsp"], capture_output=True, text=True).stdout
    return args.client + ":midi_out" not in ports


with player, listener:
    if args.wait:
        print("ready", flush=True)
        sys.stdin.readline()  # "go": continuo has connected itself to both ports and is ready
    else:
        player.connect(out, args.client + ":midi_in")
        listener.connect(args.client + ":midi_out", inp)
        print("ready", flush=True)
    time.sleep(0.2)
    state["go"] = True
    phrase_done.wait(120)
    print("phrase-done", flush=True)
    if args.bpm > 0:
        stopped.wait(120)
    else:
        time.sleep(args.listen)
    print("stopped", flush=True)
    time.sleep(args.after_stop)
    print("stop-now", flush=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not continuo_ports_gone():
        time.sleep(0.1)
    time.sleep(args.tail)
    result = {"sample_rate": rate, "start": state["start"], "tick_frames": tick_frames,
              "stop": state["stop"], "xruns": list(xruns), "sent": list(sent),
              "received": list(received)}
print(json.dumps(result), flush=True)

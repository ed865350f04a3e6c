"""Round-trip latency through a JACK MIDI client: sends --count note-ons (and note-offs) into
CLIENT:midi_in, receives them back on CLIENT:midi_out, and prints one JSON line with each
message's round trip in milliseconds (null when it never came back)."""
import argparse
import json
import subprocess
import time

import mido

parser = argparse.ArgumentParser()
parser.add_argument("--client", default="continuo")
parser.add_argument("--count", type=int, default=50)
args = parser.parse_args()

jack = mido.Backend("mido.backends.rtmidi/UNIX_JACK")
sent = {}
back = {}


def on_message(msg):
    if msg.type in ("note_on", "note_off"):
        back.setdefault((msg.type, msg.note), time.monotonic())


inport = jack.open_input("rt_listener", virtual=True, callback=on_message)
outport = jack.open_output("rt_player", virtual=True)
time.sleep(0.3)
listing = subprocess.run(["jack_lsp"], capture_output=True, text=True, check=True).stdout.split("\n")
player = next(p for p in listing if p.endswith(":rt_player") or p.endswith("rt_player"))
listener = next(p for p in listing if p.endswith(":rt_listener") or p.endswith("rt_listener"))
subprocess.run(["jack_connect", player, args.client + ":midi_in"], check=True)
subprocess.run(["jack_connect", args.client + ":midi_out", listener], check=True)
time.sleep(0.3)
for i in range(args.count):
    note = 20 + i % 100
    for kind in ("note_on", "note_off"):
        back.pop((kind, note), None)
        sent[(kind, note)] = time.monotonic()
        outport.send(mido.Message(kind, note=note, velocity=100 if kind == "note_on" else 0))
        time.sleep(0.02)
time.sleep(0.5)
trips = [None if k not in back else round((back[k] - t) * 1000, 3) for k, t in sent.items()]
print(json.dumps({"round_trip_ms": trips}), flush=True)

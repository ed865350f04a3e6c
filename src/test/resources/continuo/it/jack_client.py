"""External JACK MIDI client for continuo's integration tests.

Plays a phrase into CLIENT:midi_in, records everything CLIENT:midi_out sends, and reports it as
one JSON line. Protocol on stdout: "ready" once connected, "phrase-done" after the phrase, then
(after --listen seconds) "stop-now" so the test can SIGTERM continuo; the script keeps recording
until continuo's ports are gone and --tail seconds more, and prints {"messages": [[t, status, d1, d2], ...]}.
Extra control messages: --cc N:V sends a control change after the phrase, --program P sends a
program change before it. --soak S replaces the phrase by S seconds of a simulated player: phrases
of 3-10 notes, then a pause in which continuo answers (sometimes cut short: the player barges in).
--hold 48,52,55 presses those keys instead, prints "held" and waits to be killed, never releasing
them (a player whose keys are down when the server goes away).
"""
import argparse
import json
import random
import subprocess
import sys
import time

import mido

parser = argparse.ArgumentParser()
parser.add_argument("--client", default="continuo")
parser.add_argument("--listen", type=float, default=3.0)
parser.add_argument("--tail", type=float, default=2.0)
parser.add_argument("--cc", action="append", default=[])
parser.add_argument("--program", type=int, default=None)
parser.add_argument("--phrases", type=int, default=1)
parser.add_argument("--soak", type=float, default=0.0)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--hold", default=None)
args = parser.parse_args()

jack = mido.Backend("mido.backends.rtmidi/UNIX_JACK")
received = []
t0 = time.monotonic()


def on_message(msg):
    b = msg.bytes()
    received.append([time.monotonic() - t0] + b + [0] * (3 - len(b)))


inport = jack.open_input("listener", virtual=True, callback=on_message)
outport = jack.open_output("player", virtual=True)
time.sleep(0.3)


def ports(flag):
    out = subprocess.run(["jack_lsp", flag], capture_output=True, text=True, check=True).stdout
    return out


def connect(src, dst):
    subprocess.run(["jack_connect", src, dst], check=True)


listing = subprocess.run(["jack_lsp"], capture_output=True, text=True, check=True).stdout.split("\n")
player = next(p for p in listing if p.endswith("player") or ":player" in p)
listener = next(p for p in listing if p.endswith("listener") or ":listener" in p)
connect(player, args.client + ":midi_in")
connect(args.client + ":midi_out", listener)
print("ready", flush=True)

if args.hold is not None:
    for note in args.hold.split(","):
        outport.send(mido.Message("note_on", note=int(note), velocity=90))
    print("held", flush=True)
    while True:
        time.sleep(1)

if args.program is not None:
    outport.send(mido.Message("program_change", program=args.program))
    time.sleep(1.0)

played = 0
if args.soak > 0:
    rng = random.Random(args.seed)
    scale = [55, 57, 59, 60, 62, 64, 65, 67, 69, 71, 72, 74, 76]
    end = time.monotonic() + args.soak
    while time.monotonic() < end:
        for _ in range(rng.randint(3, 10)):
            note = rng.choice(scale)
            outport.send(mido.Message("note_on", note=note, velocity=rng.randint(50, 110)))
            time.sleep(rng.uniform(0.08, 0.4))
            outport.send(mido.Message("note_off", note=note, velocity=0))
            time.sleep(rng.uniform(0.0, 0.1))
            played += 1
        time.sleep(rng.uniform(0.3, 2.5))

phrase = [(60, 0.25), (64, 0.25), (67, 0.25), (72, 0.5)]
for _ in range(args.phrases if args.soak <= 0 else 0):
    for note, length in phrase:
        outport.send(mido.Message("note_on", note=note, velocity=90))
        time.sleep(length)
        outport.send(mido.Message("note_off", note=note, velocity=0))
        time.sleep(0.05)
    for spec in args.cc:
        n, v = spec.split(":")
        outport.send(mido.Message("control_change", control=int(n), value=int(v)))
print("phrase-done %.3f" % (time.monotonic() - t0), flush=True)
time.sleep(args.listen)
print("stop-now", flush=True)
# continuo closes its ports only after its last note-offs went out: wait for that (up to 15 s),
# then --tail more seconds, so a slow shutdown on a busy machine is not mistaken for a stuck note.
deadline = time.monotonic() + 15
while time.monotonic() < deadline:
    ports_now = subprocess.run(["jack_lsp"], capture_output=True, text=True).stdout
    if args.client + ":midi_out" not in ports_now:
        break
    time.sleep(0.1)
time.sleep(args.tail)
print(json.dumps({"messages": received, "played": played}), flush=True)
inport.close()
outport.close()

"""Listens to CLIENT:midi_out for continuo's integration tests and prints every note-on at once.

Prints "ready" once connected, then "on PITCH" for each note-on (velocity > 0) the moment it
arrives, flushed, so that the test can note when each was heard. Runs until killed.
"""
import subprocess
import sys
import threading
import time

import mido

client = sys.argv[1]
lock = threading.Lock()


def on_message(msg):
    if msg.type == "note_on" and msg.velocity > 0:
        with lock:
            print("on %d" % msg.note, flush=True)


jack = mido.Backend("mido.backends.rtmidi/UNIX_JACK")
inport = jack.open_input("listener", virtual=True, callback=on_message)
time.sleep(0.3)
listing = subprocess.run(["jack_lsp"], capture_output=True, text=True, check=True).stdout
listener = next(p for p in listing.split("\n") if p.endswith(":listener"))
subprocess.run(["jack_connect", client + ":midi_out", listener], check=True)
print("ready", flush=True)
while True:
    time.sleep(1)

#!/usr/bin/env python3
"""Runs a command with its standard output and standard error each on a pseudo-terminal
of its own (raw mode: no CR is added to a LF), so a test can see what a person at a
terminal sees: colour, highlights, the progress line. Prints one JSON object:
{"status": exit status (or -signal), "stdout": base64, "stderr": base64}.

Usage: on_terminal.py [--timeout SECONDS] -- COMMAND [ARGUMENT ...]
The command is killed when it outlives the timeout (default 60 s).
"""
import base64
import json
import os
import select
import subprocess
import sys
import time
import tty


def main():
    arguments = sys.argv[1:]
    timeout = 60.0
    if arguments[:1] == ["--timeout"]:
        timeout, arguments = float(arguments[1]), arguments[2:]
    if arguments[:1] == ["--"]:
        arguments = arguments[1:]
    terminals = [os.openpty(), os.openpty()]
    for _, follower in terminals:
        tty.setraw(follower)
    process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=terminals[0][1],
                               stderr=terminals[1][1], close_fds=True)
    for _, follower in terminals:
        os.close(follower)
    leaders = {terminals[0][0]: bytearray(), terminals[1][0]: bytearray()}
    deadline = time.monotonic() + timeout
    open_leaders = set(leaders)
    while open_leaders:
        left = deadline - time.monotonic()
        if left <= 0:
            process.kill()
            break
        ready, _, _ = select.select(list(open_leaders), [], [], min(left, 0.5))
        for leader in ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the last writer closed its end
                chunk = b""
            if chunk:
                leaders[leader] += chunk
            else:
                open_leaders.discard(leader)
    status = process.wait()
    out, err = leaders[terminals[0][0]], leaders[terminals[1][0]]
    print(json.dumps({"status": status, "stdout": base64.b64encode(bytes(out)).decode(),
                      "stderr": base64.b64encode(bytes(err)).decode()}))


if __name__ == "__main__":
    main()

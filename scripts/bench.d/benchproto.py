"""The runner side of the scripts/bench protocol, shared by the Python runners and the mlus runners.

Written in the Python subset that mlus runs, so one file serves both. A runner builds its model, then calls
serve(); the driver writes one command a line on standard input and reads one answer a line:
    run K       -> TIMES [t1, ..., tK]    (milliseconds of K forwards, timed here so start-up is excluded)
    save PATH   -> SAVED PATH             (the output of one forward written as .npy)
    quit        -> (the runner exits)
Anything else the runner prints must not start with READY/TIMES/SAVED/ERROR.
"""
import json
import time


def ready(info):
    print("READY " + json.dumps(info), flush=True)


def serve(forward, x, save):
    while True:
        try:
            line = input()
        except EOFError:
            return
        parts = line.split()
        if len(parts) == 0:
            continue
        cmd = parts[0]
        if cmd == "run":
            k = int(parts[1])
            times = []
            for i in range(k):
                t0 = time.perf_counter()
                y = forward(x)
                t1 = time.perf_counter()
                times.append((t1 - t0) * 1000.0)
            print("TIMES " + json.dumps(times), flush=True)
        elif cmd == "save":
            save(parts[1], forward(x))
            print("SAVED " + parts[1], flush=True)
        elif cmd == "quit":
            return
        else:
            print("ERROR unknown command " + repr(line), flush=True)

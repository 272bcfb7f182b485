#!/usr/bin/env python3
"""Run a command and start it again whenever it dies, until this process is told to stop.

    python scripts/keep_running.py [--name NAME] -- COMMAND [ARGS...]

`make run` runs each of its processes under this (Procfile.dev): honcho stops every process
as soon as one exits, so without it a worker that died would take the web server and beat
down with it. SIGINT or SIGTERM (Ctrl-C in `make run`) is passed to the command, which is
then not started again, and this exits with the command's code. A command that keeps dying
within seconds of its start (a port already taken, a broken setting) is given up after a few
tries, so that `make run` still stops with its error rather than loop on it.
"""

import argparse
import signal
import subprocess
import sys
import time

QUICK = 10.0  # seconds: a command that dies sooner than this after its start failed to start
LONGEST_WAIT = 30.0


def main(argv: list[str] | None = None) -> int:
    options = _parse(argv)
    keeper = Keeper(options.command, options.name, options.first_wait, options.give_up_after)
    signal.signal(signal.SIGTERM, keeper.stop)
    signal.signal(signal.SIGINT, keeper.stop)
    return keeper.run()


class Keeper:
    def __init__(self, command: list[str], name: str, first_wait: float, give_up_after: int):
        self.command = command
        self.name = name
        self.first_wait = first_wait
        self.give_up_after = give_up_after
        self.stopping = False
        self.child: subprocess.Popen | None = None

    def run(self) -> int:
        wait, quick_deaths = self.first_wait, 0
        while True:
            started = time.monotonic()
            self.child = subprocess.Popen(self.command)
            if self.stopping:  # told to stop while it was being started
                self.child.terminate()
            code = self.child.wait()
            if self.stopping:
                return code
            if time.monotonic() - started < QUICK:
                quick_deaths += 1
            else:
                wait, quick_deaths = self.first_wait, 0
            if quick_deaths >= self.give_up_after:
                self.say(f"{self.name} died at start {quick_deaths} times in a row; giving up")
                return code or 1
            self.say(f"{self.name} died (exit code {code}); starting it again in {wait:g} s")
            if not self.pause(wait):
                return code
            wait = min(wait * 2, LONGEST_WAIT)

    def pause(self, seconds: float) -> bool:
        """Sleep, unless told to stop meanwhile (then False)."""
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(0.05)
        return not self.stopping

    def stop(self, signum: int, frame: object) -> None:
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signum)

    @staticmethod
    def say(text: str) -> None:
        print(f"keep_running: {text}", file=sys.stderr, flush=True)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", default="command", help="what to call it in messages")
    parser.add_argument("--first-wait", type=float, default=1.0, help="seconds before a restart")
    parser.add_argument(
        "--give-up-after", type=int, default=3, help="deaths in a row at start before giving up"
    )
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    if options.command[:1] == ["--"]:
        options.command = options.command[1:]
    if not options.command:
        parser.error("no command given")
    return options


if __name__ == "__main__":
    sys.exit(main())

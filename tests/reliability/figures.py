"""Figures each scenario reports: shown in the terminal summary (CI runs with -ra), and at
once when pytest runs with -s."""

import sys
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

REPORTED: list[tuple[str, list[str]]] = []


class Figures:
    def __init__(self, scenario: str) -> None:
        self.scenario = scenario
        self.lines: list[str] = []

    def add(self, text: str) -> None:
        self.lines.append(text)


@pytest.fixture
def figures(request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]):
    found = Figures(request.node.nodeid.split("::")[-1])
    yield found
    if found.lines:
        REPORTED.append((found.scenario, found.lines))
        if request.config.getoption("capture") == "no":
            with capsys.disabled():
                sys.stdout.write("\n" + "\n".join(f"  {line}" for line in found.lines) + "\n")


def write_summary(write_line: Callable[[str], None]) -> None:
    for scenario, lines in REPORTED:
        write_line(scenario)
        for line in lines:
            write_line(f"  {line}")


def busiest_minute(moments: list[datetime]) -> int:
    """The most calls in any rolling 60 seconds."""
    moments = sorted(moments)
    busiest, first = 0, 0
    for last, moment in enumerate(moments):
        while moments[first] <= moment - timedelta(seconds=60):
            first += 1
        busiest = max(busiest, last - first + 1)
    return busiest

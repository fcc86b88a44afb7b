#!/usr/bin/python3
"""Sums the results of every suite scripts/test.sh runs into one closing line: "N passed, N failed[, N skipped]".

Each suite is given with a label, where its results are, and the exit status of the command that ran it:

  --dotnet    LABEL DIRECTORY EXIT   the .trx files `dotnet test --logger trx` wrote into DIRECTORY
  --unittest  LABEL LOG EXIT         the output of `python3 -m unittest -v`
  --node      LABEL LOG EXIT         the output of `node --test` (TAP or spec reporter)
  --check     LABEL EXIT             a single check (e.g. buf lint): passed when EXIT is 0

A suite that crashed must not read as green: when a suite reports no results at all, or exits non-zero without
reporting a failure, one failure is added for it. Prints one line per suite, then the closing line; exits 1 when
anything failed. Standard library only (run with /usr/bin/python3).
"""
from __future__ import annotations

import argparse
import glob
import os
import re
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    # False when the suite left no results to read (it crashed, or found no tests).
    found: bool = True
    notes: list = field(default_factory=list)
    # "name: first line of its message" for each failed test the results name, so a CI log's tail says which.
    failures: list = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped
        self.notes += other.notes
        self.failures += other.failures


def counts_line(tally: Tally) -> str:
    line = f"{tally.passed} passed, {tally.failed} failed"
    return line + (f", {tally.skipped} skipped" if tally.skipped else "")


def judge_exit(tally: Tally, exit_status: int) -> Tally:
    """Adds the one failure a crashed suite stands for: no results at all, or a non-zero exit with no failure."""
    if not tally.found:
        tally.failed += 1
        tally.notes.append(f"no test results (exit status {exit_status})")
    elif exit_status != 0 and tally.failed == 0:
        tally.failed += 1
        tally.notes.append(f"exit status {exit_status} but no failure reported")
    return tally


# --- .NET: the Counters of each TRX file --------------------------------------------------------------------------

_TRX = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
_TRX_FAILED = ("failed", "error", "timeout", "aborted")


def read_trx(path: str) -> Tally:
    name = os.path.basename(path)
    try:
        root = ElementTree.parse(path).getroot()
        summary = root.find(f"{_TRX}ResultSummary")
        counters = summary.find(f"{_TRX}Counters")
        count = {key: int(value) for key, value in counters.attrib.items()}
    except (ElementTree.ParseError, AttributeError, ValueError, OSError) as error:
        return Tally(failed=1, notes=[f"{name}: unreadable ({error})"])
    tally = Tally(passed=count.get("passed", 0),
                  failed=sum(count.get(key, 0) for key in _TRX_FAILED),
                  skipped=count.get("total", 0) - count.get("executed", 0))
    tally.failures = trx_failures(root)
    # A test host that crashes leaves a file whose outcome is Failed and whose counters are all 0.
    if summary.get("outcome") not in ("Completed", "Passed", "Warning") and tally.failed == 0:
        tally.failed = 1
        tally.notes.append(f"{name}: run outcome {summary.get('outcome')} with no failed test counted")
    return tally


def trx_failures(root) -> list:
    failures = []
    for result in root.iter(f"{_TRX}UnitTestResult"):
        if result.get("outcome", "").lower() not in _TRX_FAILED:
            continue
        message = result.find(f"{_TRX}Output/{_TRX}ErrorInfo/{_TRX}Message")
        first = (message.text or "").strip().splitlines()[0:1] if message is not None else []
        failures.append(f"{result.get('testName', '?')}: {first[0][:_MESSAGE_WIDTH] if first else '(no message)'}")
    return failures


_MESSAGE_WIDTH = 200


def read_dotnet(directory: str) -> Tally:
    files = sorted(glob.glob(os.path.join(directory, "*.trx")))
    tally = Tally(found=bool(files))
    for path in files:
        tally.add(read_trx(path))
    if files and tally.passed + tally.failed + tally.skipped == 0:
        tally.found = False
    return tally


# --- Python: unittest's verbose log --------------------------------------------------------------------------------

# With -v every test ends its line with its status; output the test wrote itself can push the status onto a line
# of its own ("... a warning" then "ok"). Class and module fixture errors get a line too ("setUpClass (...) ... ERROR").
_UNITTEST_STATUS = re.compile(r"(?:^| \.\.\. )(ok|FAIL|ERROR|skipped .*|expected failure|unexpected success)$")
_UNITTEST_RAN = re.compile(r"^Ran (\d+) tests? in ")
_UNITTEST_VERDICT = re.compile(r"^(OK|FAILED)(?: \((.*)\))?$")


def read_unittest(path: str) -> Tally:
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            lines = log.read().splitlines()
    except OSError as error:
        return Tally(found=False, notes=[f"unreadable log ({error})"])

    statuses = [m.group(1) for m in map(_UNITTEST_STATUS.search, lines) if m]
    ran, verdict = None, None
    for i, line in enumerate(lines):
        if _UNITTEST_RAN.match(line):
            ran = int(_UNITTEST_RAN.match(line).group(1))
            verdict = next((v for v in map(_UNITTEST_VERDICT.match, lines[i + 1:i + 3]) if v), None)
    passes = sum(s in ("ok", "expected failure") for s in statuses)

    if ran is None or verdict is None:
        # The run never printed its summary (killed, or the interpreter died): what it printed, and one failure.
        failures = sum(s in ("FAIL", "ERROR", "unexpected success") for s in statuses)
        skips = sum(s.startswith("skipped") for s in statuses)
        return Tally(passed=passes, failed=failures + 1, skipped=skips, notes=["the run did not finish"])

    # The verdict's counts are unittest's own (subtests and fixture errors included); the passes come from the
    # status lines, since "Ran N" counts a test once however many of its subtests failed.
    counts = {key.strip(): int(value) for key, value in
              (part.split("=") for part in (verdict.group(2) or "").split(",") if "=" in part)}
    failed = counts.get("failures", 0) + counts.get("errors", 0) + counts.get("unexpected successes", 0)
    skipped = counts.get("skipped", 0)
    if not statuses:  # not a verbose log: all that is known is the total
        passes = max(0, ran - failed - skipped)
    # "Ran 0 tests" is no result at all, unless something failed before any test could run (a setUpClass).
    return Tally(passed=passes, failed=failed, skipped=skipped, found=ran > 0 or failed > 0)


# --- TypeScript: node's test runner ---------------------------------------------------------------------------------

# The closing counters: "# pass 12" with the TAP reporter (the default when output is not a terminal), "ℹ pass 12"
# with the spec reporter.
_NODE_COUNTER = re.compile(r"^(?:#|\u2139) (tests|pass|fail|cancelled|skipped|todo) (\d+)$")


def read_node(path: str) -> Tally:
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            lines = log.read().splitlines()
    except OSError as error:
        return Tally(found=False, notes=[f"unreadable log ({error})"])
    counts = {}
    for match in filter(None, map(_NODE_COUNTER.match, lines)):
        counts[match.group(1)] = int(match.group(2))  # the last summary wins
    if not counts.get("tests"):
        return Tally(found=False)
    return Tally(passed=counts.get("pass", 0), failed=counts.get("fail", 0) + counts.get("cancelled", 0),
                 skipped=counts.get("skipped", 0) + counts.get("todo", 0))


# --- a single check ------------------------------------------------------------------------------------------------

def read_check(exit_status: int) -> Tally:
    return Tally(passed=1) if exit_status == 0 else Tally(failed=1, notes=[f"exit status {exit_status}"])


# --- the command line -----------------------------------------------------------------------------------------------

_READERS = {"dotnet": read_dotnet, "unittest": read_unittest, "node": read_node}


def summarise(suites: list) -> tuple:
    """suites: (kind, label, results path, exit status) in run order. Returns (the lines to print, the total)."""
    total, lines = Tally(), []
    for kind, label, path, status in suites:
        tally = read_check(status) if kind == "check" else judge_exit(_READERS[kind](path), status)
        total.add(tally)
        notes = f" ({'; '.join(tally.notes)})" if tally.notes else ""
        lines.append(f"  {label}: {counts_line(tally)}{notes}")
        lines += [f"    failed: {failure}" for failure in tally.failures]
    lines.append(counts_line(total))
    return lines, total


class _Suite(argparse.Action):
    """Collects every suite option into one list, in the order given, so the report reads like the run."""

    def __call__(self, parser, namespace, values, option_string=None):
        label, path, status = (values[0], None, values[1]) if self.const == "check" else values
        try:
            status = int(status)
        except ValueError:
            parser.error(f"{option_string}: the exit status must be a whole number, not {status!r}")
        if namespace.suites is None:
            namespace.suites = []
        namespace.suites.append((self.const, label, path, status))


def parse(argv: list) -> list:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False)
    for kind, what in (("dotnet", "DIRECTORY"), ("unittest", "LOG"), ("node", "LOG")):
        parser.add_argument(f"--{kind}", nargs=3, action=_Suite, const=kind, dest="suites",
                            metavar=("LABEL", what, "EXIT"))
    parser.add_argument("--check", nargs=2, action=_Suite, const="check", dest="suites", metavar=("LABEL", "EXIT"))
    suites = parser.parse_args(argv).suites
    if not suites:
        parser.error("give at least one suite or check")
    return suites


def main(argv: Optional[list] = None) -> int:
    lines, total = summarise(parse(sys.argv[1:] if argv is None else argv))
    print("\n".join(lines))
    return 1 if total.failed else 0


if __name__ == "__main__":
    sys.exit(main())

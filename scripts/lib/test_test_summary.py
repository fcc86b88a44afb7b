"""Tests of test_summary.py over real outputs: the fixtures were written by dotnet test (xunit, TRX logger), by
/usr/bin/python3 -m unittest -v and by node --test (Node 20) on small probe suites that pass, fail, skip and crash.
Run: /usr/bin/python3 -m unittest discover -s scripts/lib -p 'test_*.py' -v
"""
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_summary as summary  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "test_summary_fixtures")


def fixture(*parts):
    return os.path.join(FIXTURES, *parts)


def counts(tally):
    return tally.passed, tally.failed, tally.skipped


def judged(reader, path, exit_status):
    return counts(summary.judge_exit(reader(path), exit_status))


class DotnetResults(unittest.TestCase):
    def test_a_passing_run_counts_its_passes(self):
        self.assertEqual((2, 0, 0), judged(summary.read_dotnet, fixture("dotnet", "all-passed"), 0))

    def test_files_are_summed_and_a_test_not_executed_counts_as_skipped(self):
        self.assertEqual((5, 1, 1), judged(summary.read_dotnet, fixture("dotnet", "one-failed"), 1))

    def test_each_failed_test_is_named_with_the_first_line_of_its_message(self):
        tally = summary.read_dotnet(fixture("dotnet", "one-failed"))
        self.assertEqual(["Probe.ProbeTests.Fails: Assert.Equal() Failure: Values differ"], tally.failures)
        lines, _ = summary.summarise([("dotnet", ".NET", fixture("dotnet", "one-failed"), 1)])
        self.assertIn("    failed: Probe.ProbeTests.Fails: Assert.Equal() Failure: Values differ", lines)
        self.assertEqual("5 passed, 1 failed, 1 skipped", lines[-1])

    def test_a_crashed_test_host_counts_as_one_failure(self):
        # Its file says outcome="Failed" with every counter 0.
        self.assertEqual((2, 1, 0), judged(summary.read_dotnet, fixture("dotnet", "crashed"), 1))

    def test_an_unreadable_file_counts_as_one_failure(self):
        self.assertEqual((0, 1, 0), judged(summary.read_dotnet, fixture("dotnet", "garbled"), 1))

    def test_no_result_files_count_as_one_failure_even_with_exit_status_0(self):
        with tempfile.TemporaryDirectory() as empty:
            self.assertEqual((0, 1, 0), judged(summary.read_dotnet, empty, 0))

    def test_a_non_zero_exit_without_a_failed_test_counts_as_one_failure(self):
        self.assertEqual((2, 1, 0), judged(summary.read_dotnet, fixture("dotnet", "all-passed"), 1))


class PythonUnittestLog(unittest.TestCase):
    def test_a_passing_run_counts_its_passes(self):
        self.assertEqual((2, 0, 0), judged(summary.read_unittest, fixture("unittest", "ok.log"), 0))

    def test_skips_are_counted_apart(self):
        self.assertEqual((2, 0, 1), judged(summary.read_unittest, fixture("unittest", "ok-skipped.log"), 0))

    def test_errors_and_unexpected_successes_fail_and_expected_failures_pass(self):
        # 7 tests: 2 ok, 1 expected failure, 1 FAIL, 1 ERROR, 1 unexpected success, 1 skipped.
        self.assertEqual((3, 3, 1), judged(summary.read_unittest, fixture("unittest", "mixed.log"), 1))

    def test_each_failed_subtest_and_each_class_fixture_error_is_a_failure(self):
        # 3 tests ran: 2 ok (one after output of its own), 1 with 2 failing subtests; plus a setUpClass error and a
        # class clean-up error, which are in no test's count.
        self.assertEqual((2, 4, 0),
                         judged(summary.read_unittest, fixture("unittest", "subtests-and-fixtures.log"), 1))

    def test_a_module_that_cannot_be_imported_is_a_failure(self):
        self.assertEqual((0, 1, 0), judged(summary.read_unittest, fixture("unittest", "import-error.log"), 1))

    def test_a_run_that_found_no_tests_counts_as_one_failure(self):
        self.assertEqual((0, 1, 0), judged(summary.read_unittest, fixture("unittest", "no-tests.log"), 0))

    def test_a_run_killed_before_its_summary_keeps_what_it_printed_plus_one_failure(self):
        # It printed ERROR, expected failure and FAIL, then stopped.
        self.assertEqual((1, 3, 0), judged(summary.read_unittest, fixture("unittest", "killed.log"), 137))

    def test_a_non_zero_exit_after_an_ok_summary_counts_as_one_failure(self):
        self.assertEqual((2, 1, 0), judged(summary.read_unittest, fixture("unittest", "ok.log"), 1))

    def test_a_missing_log_counts_as_one_failure(self):
        self.assertEqual((0, 1, 0), judged(summary.read_unittest, fixture("unittest", "no-such.log"), 1))


class NodeTestRunnerLog(unittest.TestCase):
    def test_a_passing_tap_run_counts_its_passes(self):
        self.assertEqual((2, 0, 0), judged(summary.read_node, fixture("node", "tap-ok.log"), 0))

    def test_cancelled_tests_fail_and_todo_tests_count_as_skipped(self):
        # 6 tests: 2 pass, 1 fail, 1 cancelled (its timeout), 1 skipped, 1 todo.
        self.assertEqual((2, 2, 2), judged(summary.read_node, fixture("node", "tap-mixed.log"), 1))

    def test_the_spec_reporter_reads_the_same(self):
        self.assertEqual((2, 2, 2), judged(summary.read_node, fixture("node", "spec-mixed.log"), 1))

    def test_a_run_that_found_no_test_files_counts_as_one_failure(self):
        self.assertEqual((0, 1, 0), judged(summary.read_node, fixture("node", "no-test-files.log"), 1))

    def test_a_non_zero_exit_without_a_failed_test_counts_as_one_failure(self):
        self.assertEqual((2, 1, 0), judged(summary.read_node, fixture("node", "tap-ok.log"), 1))


class ClosingLine(unittest.TestCase):
    def run_main(self, *argv):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = summary.main(list(argv))
        return status, out.getvalue().splitlines()

    def test_every_suite_and_check_is_summed_into_the_last_line(self):
        status, lines = self.run_main(
            "--check", "buf lint", "0",
            "--dotnet", ".NET", fixture("dotnet", "all-passed"), "0",
            "--unittest", "Python", fixture("unittest", "ok.log"), "0",
            "--node", "TypeScript", fixture("node", "tap-ok.log"), "0")
        self.assertEqual(0, status)
        self.assertEqual("7 passed, 0 failed", lines[-1])
        self.assertEqual(["  buf lint:", "  .NET:", "  Python:", "  TypeScript:"],
                         [line.split(": ")[0] + ":" for line in lines[:-1]])

    def test_skips_appear_only_when_there_are_some_and_any_failure_exits_1(self):
        status, lines = self.run_main("--check", "buf breaking", "1",
                                      "--unittest", "Python", fixture("unittest", "ok-skipped.log"), "0")
        self.assertEqual(1, status)
        self.assertEqual("2 passed, 1 failed, 1 skipped", lines[-1])

    def test_an_exit_status_that_is_not_a_number_is_refused(self):
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit) as caught:
            summary.main(["--check", "buf lint", "passed"])
        self.assertEqual(2, caught.exception.code)

    def test_no_suite_at_all_is_refused(self):
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit) as caught:
            summary.main([])
        self.assertEqual(2, caught.exception.code)

    def test_the_script_runs_on_its_own(self):
        run = subprocess.run([sys.executable, os.path.join(HERE, "test_summary.py"),
                              "--dotnet", ".NET", fixture("dotnet", "one-failed"), "1", "--check", "buf lint", "0"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(1, run.returncode, run.stderr)
        self.assertEqual("6 passed, 1 failed, 1 skipped", run.stdout.splitlines()[-1])


if __name__ == "__main__":
    unittest.main()

"""One deadline per command, over everything it does, that cannot be switched off;
sizes checked before C-level work; what a snippet printed is kept when a limit hits.

Each limit ends the same way: exit 2, one line on stderr naming the limit, never a
traceback. The repros are the limit findings of ../shared/HARDENING.md (ids in the
test names).
"""

from __future__ import annotations

import os
import time

import numpy as np
import pytest
from cli_helpers import assert_clean_error, invoke

from symgrad.commands import InputError, Limits, run_snippet
from symgrad.parsing.deadline import Deadline, TimeUp, seconds_of

BUSY = "import torch\nx = torch.ones(3)\nfor i in range(100000):\n    x = x * 1.0 + 0.0\n"


# ------------------------------------------------------------ the deadline itself
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "0", "1e9"])
@pytest.mark.parametrize("command", [["run", "-"], ["diff", "sum(a*a)"]])
def test_timeout_that_would_switch_the_limit_off_is_refused_H8(value: str,
                                                                command: list[str]) -> None:
    r = invoke(*command, "--timeout", value, input="x = 1\n")
    assert_clean_error(r, 2)
    assert "--timeout" in r.stderr and "cannot be switched off" in r.stderr


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0, 0.0, "x", None])
def test_limits_and_deadline_refuse_non_finite_time(value: object) -> None:
    with pytest.raises(InputError, match="cannot be switched off"):
        seconds_of(value)
    with pytest.raises(InputError):
        Limits(timeout=value)  # type: ignore[arg-type]


def test_deadline_interrupts_python_code_and_names_the_limit() -> None:
    t0 = time.monotonic()
    with pytest.raises(InputError, match=r"^time limit of 0.2 s exceeded$"):
        with Deadline(0.2):
            while True:
                pass
    assert time.monotonic() - t0 < 2


def test_deadline_fires_again_when_its_first_alarm_is_swallowed() -> None:
    swallowed = 0
    with pytest.raises(InputError, match="time limit"):
        with Deadline(0.2):
            while True:
                try:
                    while True:
                        pass
                except TimeUp:  # misbehaving code: swallows the alarm once
                    swallowed += 1
                    if swallowed > 1:
                        raise
    assert swallowed == 2


def test_nested_deadlines_keep_the_outer_one() -> None:
    outer = Deadline(0.3)
    with pytest.raises(InputError, match="0.3 s"):
        with outer:
            with Deadline(100):
                pass  # leaving the inner one must re-arm the outer alarm
            while True:
                pass


def test_deadline_is_not_an_exception_so_reports_cannot_swallow_it() -> None:
    assert not issubclass(TimeUp, Exception)


# ------------------------------------------------- the whole command is covered
def test_busy_snippet_stops_with_one_line_and_keeps_its_output_M20() -> None:
    r = invoke("run", "--timeout", "0.5", "-", input="print('before')\n" + BUSY)
    assert_clean_error(r, 2)
    assert r.stderr == "error: time limit of 0.5 s exceeded\n"
    assert r.stdout == "before\n"


def test_run_report_runs_inside_the_deadline_H2(monkeypatch: pytest.MonkeyPatch) -> None:
    import symgrad.commands.present as present

    def slow_report(result: object) -> str:
        try:
            while True:  # an endless report, whatever it catches
                pass
        except Exception:  # noqa: BLE001
            return "swallowed"
    monkeypatch.setattr(present, "run_report", slow_report)
    t0 = time.monotonic()
    r = invoke("run", "--timeout", "0.2", "-",
               input="import torch\na = torch.ones(2, requires_grad=True)\n"
                     "(a * a).sum().backward()\nprint(a.grad)\n")
    assert time.monotonic() - t0 < 5
    assert_clean_error(r, 2)
    assert "time limit of 0.2 s" in r.stderr
    assert r.stdout == "tensor([2., 2.])\n"  # the snippet's output is kept


@pytest.mark.parametrize("fmt", ["str", "pretty", "latex", "numpy", "json"])
def test_diff_output_runs_inside_the_deadline_H4(monkeypatch: pytest.MonkeyPatch,
                                                  fmt: str) -> None:
    import symgrad.commands.present as present

    def slow(out: object, fmt: str) -> str:
        while True:
            pass
    monkeypatch.setattr(present, "diff_text", slow)
    r = invoke("diff", "sum(a*a)", "--format", fmt, "--timeout", "0.2")
    assert_clean_error(r, 2)
    assert "time limit of 0.2 s" in r.stderr


def test_diff_has_its_own_timeout_option() -> None:
    r = invoke("diff", "sum(a*a)", "--timeout", "5")
    assert r.exit_code == 0 and r.stdout == "2*a\n", r.output


# ------------------------------------------------------------------- reading
def test_fifo_is_refused_without_blocking_H6(tmp_path) -> None:
    fifo = tmp_path / "f.py"
    os.mkfifo(fifo)
    r = invoke("run", str(fifo))
    assert_clean_error(r, 2)
    assert "not a regular file" in r.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_H6_M1(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    assert_clean_error(invoke("run", device), 2)


def test_long_stdin_is_refused_after_reading_only_the_limit_M1() -> None:
    r = invoke("run", "-", input="#" * 200_000)
    assert_clean_error(r, 2)
    assert r.stderr == "error: Snippet is longer than the limit of 100000 characters\n"
    r = invoke("diff", "-", input="a" * 20_000)
    assert_clean_error(r, 2)
    assert "longer than the limit of 10000" in r.stderr


def test_a_leading_byte_order_mark_is_accepted(tmp_path) -> None:
    f = tmp_path / "bom.py"
    f.write_bytes("\ufeffprint(1)\n".encode())
    r = invoke("run", str(f))
    assert r.exit_code == 0 and r.stdout == "1\n", r.output


# -------------------------------------- C-level work is bounded by size checks
@pytest.mark.parametrize("line", [
    "print([x]*N == [z]*N)",
    "print(max([x]*N))",
    "print(z in [x]*N)",
    "print(str([x]*N))",
    "print([x]*N)",
    "y = torch.tensor([x]*N)",
    "print(max([[x]*100]*N))",
    "print(['a' * 100000]*N)",
])
def test_c_level_walks_of_nested_lists_are_refused_before_they_start_H1(line: str) -> None:
    src = ("import torch\nN = 100000\nx = [0]*N\nz = x + []\nz[-1] = 1\nprint('kept')\n"
           + line + "\n")
    t0 = time.monotonic()
    r = invoke("run", "--timeout", "10", "-", input=src)
    assert time.monotonic() - t0 < 8
    assert_clean_error(r, 2)
    assert r.stdout == "kept\n"
    assert "nested lists" in r.stderr or "output exceeds" in r.stderr, r.stderr


def test_the_repro_of_H1_itself() -> None:
    src = "x = [0]*1000000\nz = x + []\nprint([x]*1000000 == [z]*1000000)\n"
    t0 = time.monotonic()
    r = invoke("run", "--timeout", "10", "-", input=src)
    assert time.monotonic() - t0 < 8
    assert_clean_error(r, 2)
    assert "this comparison would walk nested lists of more than 10000000 items" in r.stderr


def test_shared_sublists_and_cycles_are_walked_once() -> None:
    from symgrad.parsing.estimate import walk_size
    x = [0] * 1000
    assert walk_size([x] * 1000, 10**9) == 1000 * 1000 + 1000
    cyc: list = [1]
    cyc.append(cyc)
    assert walk_size(cyc, 100) == 2


@pytest.mark.parametrize("src,message", [
    ("x = torch.zeros(2,2)\ni = torch.zeros(30000,1,dtype=torch.int64)\n"
     "j = torch.zeros(30000,dtype=torch.int64)\ny = x[i, j]\n", "tensor of 900000000"),  # H7
    ("x = torch.zeros(2,2)\ni = torch.zeros(30000,1,dtype=torch.int64)\n"
     "j = torch.zeros(30000,dtype=torch.int64)\nx[i, j] = 1.\n", "tensor of 900000000"),
    ("a = torch.zeros(40000, 1)\nb = torch.zeros(40000)\nc = a == b\n",  # M4
     "tensor of 1600000000"),
    ("a = torch.zeros(40000, 1)\nb = torch.zeros(40000)\nc = a < b\n", "tensor of 1600000000"),
    ("t = torch.zeros(10, 1000000)\nl = t.tolist()\n", "sequence of 10000000"),  # M3
    ("s = 'a'*1000000\nprint(s, s, s)\n", "output exceeds"),  # M5
    ("x = torch.tensor(1., requires_grad=True)\ng = torch.diff(x*2, x)\n"  # M6
     "h = g ** 100000000000000000000\n", "arithmetic on formulas"),
])
def test_allocations_are_checked_before_they_happen(src: str, message: str) -> None:
    t0 = time.monotonic()
    r = invoke("run", "-", input="import torch\n" + src)
    assert time.monotonic() - t0 < 5
    assert_clean_error(r, 2)
    assert message in r.stderr, r.stderr


def test_numpy_results_count_against_the_total_M2() -> None:
    small = Limits(max_total_elements=1_000_000)
    src = ("import torch\nn = torch.zeros(100000, dtype=torch.float64).numpy()\nl = []\n"
           "for i in range(100):\n    l.append(n + 1)\n")
    with pytest.raises(InputError, match="more than 1000000 tensor elements in total"):
        run_snippet(src, limits=small)


def test_attribute_reads_and_views_are_not_new_elements_M16() -> None:
    small = Limits(max_total_elements=1_000_000)
    src = ("import torch\nx = torch.ones(100000)\nfor i in range(50):\n"
           "    s = x.data\n    t = x.T\n    v = x.view(-1)\n    n = x.numpy()\nprint('ok')\n")
    assert run_snippet(src, limits=small).stdout == "ok\n"


def test_warnings_count_against_the_output_limit_M8() -> None:
    src = ("import torch\na = torch.ones(3, requires_grad=True)\nh = a*2\n"
           "for i in range(1000):\n    g = h.grad\n")
    with pytest.raises(InputError, match="output exceeds the limit of 5000"):
        run_snippet(src, limits=Limits(max_output_chars=5000))


def test_only_the_first_backward_keeps_a_copy_of_the_leaves() -> None:
    src = ("import torch\nw = torch.ones(1000, requires_grad=True)\n"
           "for i in range(20):\n    (w * w).sum().backward()\n")
    r = run_snippet(src)
    assert len(r.backward_calls) == 20
    assert list(r.backward_calls[0].values) == ["w"]
    assert all(not c.values for c in r.backward_calls[1:])


def test_evaluated_hessian_too_big_to_hold_is_refused_M7() -> None:
    values = ",".join(["1"] * 5000)
    r = invoke("diff", "sum(a*a)", "--hessian", "--shape", "a=5000", "--at", f"a={values}")
    assert_clean_error(r, 2)
    assert "tensor of 25000000 elements (hessian wrt a at --at) exceeds" in r.stderr


def test_index_estimate_matches_numpy() -> None:
    from symgrad.parsing.estimate import index_elements
    x = np.zeros((4, 5, 6))
    cases = [(1, slice(None)), (np.array([0, 1, 1]),), (slice(1, 3), np.array([[0], [1]]), 2),
             (None, 0, Ellipsis), (np.array([True, False, True, True]),), (..., 1)]
    for idx in cases:
        bound = index_elements(x.shape, idx)
        assert bound is not None and bound >= x[idx].size, (idx, bound, x[idx].size)


def test_a_pending_alarm_of_someone_else_survives_a_deadline() -> None:
    import signal
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with Deadline(10):
            pass
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
        t0 = time.monotonic()
        while not fired and time.monotonic() - t0 < 3:
            pass
        assert fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)

"""The remaining HARDENING findings through the command line: one line, exit 2, the
right values (W1, W3, M4, M13, M17, the Low list), and the live-memory budget."""

from __future__ import annotations

import signal

import pytest
from cli_helpers import assert_clean_error, invoke

from symgrad.commands import InputError, Limits, run_snippet
from symgrad.parsing import deadline as dl

T = "import torch\na = torch.tensor([1., 2., 3.], requires_grad=True)\n"


@pytest.mark.parametrize("expr,message", [
    ("clamp(a, 'x')", "clamp() received an invalid combination of arguments - got (Tensor, str)"),
    ("sum(a, 'x')", "sum() received an invalid combination of arguments - got (Tensor, str)"),
    ("a.clamp('x')", "clamp() received an invalid combination of arguments - got (Tensor, str)"),
    ("sum(a.grad)", "sum(): argument 'input' (position 1) must be Tensor, not NoneType"),
    ("check(sum(a*a))", "check() needs tensors with values"),
    ("a[10**30]", "dimension 0 has an unspecified length"),
    ("a[1:]", "dimension 0 has an unspecified length"),
])
def test_api_misuse_names_the_problem(clean_cwd, expr: str, message: str) -> None:  # M13
    r = invoke("diff", expr)
    assert_clean_error(r)
    assert message in r.stderr
    for internal in ("No active exception", "NoneType' object has no attribute", "unary -"):
        assert internal not in r.stderr


def test_check_of_text_in_run_is_a_clear_type_error(clean_cwd) -> None:  # M13
    r = invoke("run", "-", input="import torch\ntorch.check('a')\n")
    assert r.exit_code == 1
    assert "must be Tensor, not str" in r.stderr and "_inputs" not in r.stderr


def test_reduction_text_is_still_accepted(clean_cwd) -> None:
    r = invoke("diff", "mse_loss(a, b, reduction='sum')", "--shape", "a=3", "--shape", "b=3")
    assert r.exit_code == 0 and r.stdout.strip() == "2*(a - b)"


def test_leading_space_and_dash(clean_cwd) -> None:  # M17
    assert invoke("diff", " sum(a*a)").stdout.strip() == "2*a"
    r = invoke("diff", "-sum(a*a)")
    assert_clean_error(r)
    assert 'symgrad diff -- "-sum(a*a)"' in r.stderr
    r = invoke("diff", "--", "-sum(a*a)")
    assert r.exit_code == 0 and r.stdout.strip() == "-2*a"


@pytest.mark.parametrize("expr", ["", "   ", "\n"])
def test_empty_expression_says_so(clean_cwd, expr: str) -> None:  # M17
    r = invoke("diff", expr)
    assert_clean_error(r)
    assert "the expression is empty" in r.stderr


@pytest.mark.parametrize("args", [
    ("sum(a*a)", "--shape", "a=2", "--at", "a=1,2", "--at", "a=3,4"),
    ("sum(a*a)", "--shape", "a=2", "--shape", "a=3"),
])
def test_an_option_given_twice_for_one_name_is_refused(clean_cwd, args) -> None:  # Low
    r = invoke("diff", *args)
    assert_clean_error(r)
    assert "is given twice" in r.stderr


def test_option_names_are_read_as_python_reads_them(clean_cwd) -> None:  # W3: NFKC
    r = invoke("diff", "sum(exp(ｎｐ))", "--at", "ｎｐ=0,0")
    assert r.exit_code == 0, r.output
    assert "d/dnp = tensor([1., 1.])" in r.stdout


def test_variables_named_like_kernel_internals(clean_cwd) -> None:  # W3
    r = invoke("diff", "sum(_idx0[tensor([0,0,1])])", "--shape", "_idx0=3", "--at",
               "_idx0=1,2,3")
    assert r.exit_code == 0, r.output
    assert "d/d_idx0 = tensor([2., 1., 0.])" in r.stdout


def test_constant_does_not_collide_with_a_variable_t0(clean_cwd) -> None:  # W1
    r = invoke("diff", "sum(tensor([1.,2.,3.])*t0)", "--shape", "t0=3", "--at", "t0=5,5,5",
               "--check")
    assert r.exit_code == 0, r.output
    assert "d/dt0 = tensor([1., 2., 3.])" in r.stdout and "d/dt0 = t0\n" not in r.stdout
    r = invoke("run", "-", input="import torch\nt0 = torch.tensor([5.,5.,5.], requires_grad=True)"
               "\ny = (torch.tensor([1.,2.,3.])*t0).sum()\ny.backward()\n")
    assert r.exit_code == 0 and "silently wrong" not in r.stdout
    assert "t0.grad = t0 " not in r.stdout


def test_evaluated_derivatives_are_floating(clean_cwd) -> None:  # Low
    r = invoke("diff", "sum(a*a)", "--shape", "a=2", "--at", "a=1,2", "--hessian")
    assert "tensor([[2., 0.],\n          [0., 2.]])" in r.stdout


@pytest.mark.parametrize("snippet,message", [
    ("def f():\n    pass\nprint(f.__code__)\n", "attribute '__code__' is not allowed"),
    (T + "x = a._data\n", "attribute '_data' is not allowed at line 3, column 5: symgrad's private"),
    ("x = __import__\n", "name '__import__' is not allowed"),
    (T + "a.name = 'a.grad = 2*a\\nx'\n", "a tensor's name must be a plain identifier"),
    (T + "a.name = \"__import__('os')\"\n", "a tensor's name must be a plain identifier"),
    ("import torch\nb = torch.tensor([1.], name='x y')\n", "must be a plain identifier"),
    ("x = round(1.5, 1000)\n", "round() with more than 400 digits is not allowed at line 1, column 5"),
])
def test_low_messages(clean_cwd, snippet: str, message: str) -> None:  # Low
    r = invoke("run", "-", input=snippet)
    assert_clean_error(r)
    assert message in r.stderr


def test_in_is_prechecked_against_each_item(clean_cwd) -> None:  # M4
    r = invoke("run", "-", input="import torch\na = torch.zeros(40000, 1)\n"
               "b = torch.zeros(40000)\nc = a in [b]\n")
    assert_clean_error(r)
    assert "1600000000 elements" in r.stderr


def test_live_arrays_are_bounded_before_allocating() -> None:  # memory budget, M2
    small = Limits(max_live_bytes=8 * 2**20)
    text = ("import torch\nn = torch.zeros(100000, dtype=torch.float64).numpy()\nl = []\n"
            "for i in range(100):\n    l.append(n + 1)\n")
    with pytest.raises(InputError, match="more than 8 MB of tensors at once"):
        run_snippet(text, "s.py", small)
    # garbage is not live: the same loop without keeping the results runs
    run_snippet(text.replace("l.append(n + 1)", "m = n + 1"), "s.py", small)


def test_default_live_budget_stays_well_under_a_gigabyte() -> None:
    lim = Limits()
    assert lim.max_live_bytes + 8 * lim.max_tensor_elements < 2**30


def test_stop_alarms_disarms_every_deadline() -> None:  # a repeated alarm after a time-out
    before = signal.getsignal(signal.SIGALRM)
    d = dl.Deadline(5)
    d.__enter__()
    assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    dl.stop_alarms()
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == before
    assert not dl._ACTIVE
    d.__exit__(None, None, None)  # leaving afterwards is harmless

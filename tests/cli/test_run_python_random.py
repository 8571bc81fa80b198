"""``symgrad run`` imports Python's ``random`` for tutorials that draw with it
(``dynamic_net.py``): the draws are Python's own for the same seed; the functions
whose result size is a free argument (``sample``, ``choices``) are refused, and other
modules still cannot be imported."""

from __future__ import annotations

import random

from cli_helpers import assert_clean_error, invoke


def test_seeded_draws_are_pythons() -> None:
    text = ("import random\nrandom.seed(3)\nprint(random.randint(1, 6), random.random())\n"
            "x = [1, 2, 3, 4]\nrandom.shuffle(x)\nprint(x, random.choice(x), "
            "random.uniform(0, 1), random.randrange(10), random.gauss(0, 1))\n")
    r = invoke("run", "--no-formulas", "-", input=text)
    assert r.exit_code == 0, r.output
    rng = random.Random(3)
    first = f"{rng.randint(1, 6)} {rng.random()}"
    x = [1, 2, 3, 4]
    rng.shuffle(x)
    second = f"{x} {rng.choice(x)} {rng.uniform(0, 1)} {rng.randrange(10)} {rng.gauss(0, 1)}"
    assert r.stdout.splitlines() == [first, second]


def test_size_taking_functions_are_refused() -> None:
    for call in ("random.sample(range(10), 3)", "random.choices([1, 2], k=5)",
                 "random.randbytes(4)", "random.SystemRandom()"):
        r = invoke("run", "--no-formulas", "-", input=f"import random\nprint({call})\n")
        assert_clean_error(r)
        assert "unknown attribute" in r.stderr


def test_other_modules_are_still_refused() -> None:
    r = invoke("run", "--no-formulas", "-", input="import os\n")
    assert_clean_error(r)
    assert ("only torch (meaning symgrad), symgrad, math, functools (partial) and random can "
            "be imported") in r.stderr


def test_a_snippets_seed_and_thread_count_do_not_leak() -> None:
    import symgrad as sg
    random.seed(123)
    expected = random.random()
    random.seed(123)
    threads = sg.get_num_threads()
    r = invoke("run", "--no-formulas", "-",
               input="import torch\nimport random\nrandom.seed(5)\ntorch.set_num_threads(1)\n"
                     "print(torch.get_num_threads(), random.randint(0, 9))\n")
    assert r.exit_code == 0, r.output
    assert r.stdout == f"1 {random.Random(5).randint(0, 9)}\n"
    assert sg.get_num_threads() == threads and random.random() == expected

"""``torch.utils.data`` prints what PyTorch 2.13 printed (``tests/optim/golden``):
datasets, shuffled loaders (PyTorch's seeds and ``randperm`` in PyTorch's order),
``random_split``, collation and errors in-process, and a shuffled mini-batch training
loop under ``symgrad run``; a loader over a snippet's own dataset class is refused."""

from __future__ import annotations

import subprocess
import sys

import symgrad as sg
from symgrad.utils import data
from tests.golden_scripts import GOLDEN, recorded, run_script


def test_data_loader_matches_pytorch(monkeypatch) -> None:
    assert run_script("data_loader.py", monkeypatch) == recorded("data_loader.py")


def test_symgrad_run_trains_on_shuffled_batches() -> None:
    out = subprocess.run([sys.executable, "-m", "symgrad_cli", "run",
                          str(GOLDEN / "data_loader_run.py"), "--no-formulas"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout == (GOLDEN / "data_loader_run.out").read_text()


def test_run_refuses_a_loader_over_a_snippets_own_dataset() -> None:
    text = ("import torch\nfrom torch.utils.data import DataLoader\n"
            "class D:\n    def get(self, i):\n        return i\n"
            "for b in DataLoader(D(), batch_size=2):\n    print(b)\n")
    out = subprocess.run([sys.executable, "-m", "symgrad_cli", "run", "-", "--no-formulas"],
                         input=text, capture_output=True, text=True)
    assert out.returncode == 2 and out.stderr.startswith("error: "), out.stderr
    assert "TensorDataset" in out.stderr


def test_batches_cover_every_index_once() -> None:
    ds = data.TensorDataset(sg.arange(11))
    seen = sorted(i for (b,) in data.DataLoader(ds, batch_size=3, shuffle=True)
                  for i in b.tolist())
    assert seen == list(range(11))
    assert len(data.DataLoader(ds, batch_size=3)) == 4
    assert len(data.DataLoader(ds, batch_size=3, drop_last=True)) == 3


def test_run_refuses_batches_past_the_memory_cap() -> None:
    # 200 MB of data fit the 512 MB cap; the batches' 200 MB copy of them would not
    text = ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
            "t = [torch.zeros(1000, 10000, dtype=torch.float64) for _ in range(2)]\n"
            "ds = TensorDataset(t[0], t[1], torch.zeros(1000, 5000, dtype=torch.float64))\n"
            "print(len(ds))\n"
            "for b in DataLoader(ds, batch_size=500):\n    print(b[0].shape)\n")
    out = subprocess.run([sys.executable, "-m", "symgrad_cli", "run", "-", "--no-formulas"],
                         input=text, capture_output=True, text=True)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert out.stdout == "1000\n"  # the dataset was made; no batch was
    assert out.stderr.startswith("error: ") and "MB" in out.stderr, out.stderr

"""``torch.device``, ``device=``, ``.device``, ``.to()``, ``.cpu()``, ``.cuda()`` on a CPU-only
build: PyTorch 2.13's reprs and errors (recorded as golden strings)."""

from __future__ import annotations

import pytest

import symgrad as torch

TYPES = ("cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, "
         "vulkan, mps, meta, hpu, mtia, privateuseone")


def test_device_reprs_and_equality() -> None:
    assert repr(torch.device("cpu")) == "device(type='cpu')"
    assert repr(torch.device("cuda:0")) == "device(type='cuda', index=0)"
    assert repr(torch.device("cuda", 0)) == "device(type='cuda', index=0)"
    assert repr(torch.device("cpu", 0)) == "device(type='cpu', index=0)"
    assert str(torch.device("cpu", 0)) == "cpu:0" and str(torch.device("cuda")) == "cuda"
    assert torch.device("cpu") == torch.device("cpu") != torch.device("cuda")
    assert torch.device(torch.device("cpu")).type == "cpu"
    assert torch.device("cpu").index is None


@pytest.mark.parametrize("text, message", [
    ("gpu", f"Expected one of {TYPES} device type at start of device string: gpu"),
    ("cuda:x", "Invalid device string: 'cuda:x'"),
])
def test_bad_device_strings_raise_pytorchs_error(text: str, message: str) -> None:
    with pytest.raises(RuntimeError) as e:
        torch.device(text)
    assert str(e.value) == message


def test_an_int_device_needs_an_accelerator() -> None:
    with pytest.raises(RuntimeError, match="^Cannot access accelerator device when none is"):
        torch.device(1)


def test_every_tensor_is_on_the_cpu() -> None:
    x = torch.tensor([1., 2.], device="cpu")
    assert x.device == torch.device("cpu") and repr(x.device) == "device(type='cpu')"
    assert not x.is_cuda
    for t in (torch.zeros(2, device="cpu"), torch.ones(2, device=torch.device("cpu")),
              torch.full((2,), 1., device="cpu"), torch.arange(3, device="cpu"),
              torch.linspace(0, 1, 3, device="cpu"), torch.empty(2, device="cpu"),
              torch.zeros_like(x, device="cpu"), torch.ones_like(x, device="cpu")):
        assert t.device.type == "cpu"


@pytest.mark.parametrize("make", [
    lambda: torch.zeros(2, device="cuda"),
    lambda: torch.tensor([1.], device="cuda:1"),
    lambda: torch.ones(2).to("cuda"),
    lambda: torch.ones(2).to(torch.device("cuda")),
    lambda: torch.ones(2).cuda(),
])
def test_cuda_raises_as_on_a_cpu_only_build(make) -> None:  # noqa: ANN001
    with pytest.raises(AssertionError, match="^Torch not compiled with CUDA enabled$"):
        make()


def test_other_devices_are_not_linked() -> None:
    with pytest.raises(RuntimeError, match="^PyTorch is not linked with support for mps devices$"):
        torch.ones(2).to("mps")
    assert not torch.cuda.is_available() and torch.cuda.device_count() == 0


def test_to_in_all_its_forms() -> None:
    x = torch.tensor([[0.5, -1.25], [2.0, 3.5]], requires_grad=True)
    assert x.to(torch.float32) is x and x.to("cpu") is x and x.to() is x and x.cpu() is x
    assert x.to(torch.float64).dtype == torch.float64
    assert x.to("cpu", torch.float64).dtype == torch.float64
    assert x.to(torch.device("cpu"), dtype=torch.float16).dtype == torch.float16
    assert x.to(torch.tensor(1, dtype=torch.int32), non_blocking=True).dtype == torch.int32
    y = x.to(torch.float32, copy=True)
    assert y is not x and repr(y) == ("tensor([[ 0.5000, -1.2500],\n        [ 2.0000,  3.5000]], "
                                      "grad_fn=<ToCopyBackward0>)")
    y.sum().backward()
    assert x.grad.tolist() == [[1., 1.], [1., 1.]]


def test_to_with_a_bad_combination_raises_pytorchs_type_error() -> None:
    with pytest.raises(TypeError) as e:
        torch.ones(2).to("cpu", "x")
    assert str(e.value).startswith("to() received an invalid combination of arguments - got "
                                   "(str, str), but expected one of:\n * (torch.device device")

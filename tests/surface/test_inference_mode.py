"""``torch.inference_mode``: PyTorch's inference tensors and their errors."""

from __future__ import annotations

import pytest

import symgrad as torch
from symgrad import errors


def test_context_manager_and_decorators() -> None:
    x = torch.ones(1, 2, 3, requires_grad=True)
    with torch.inference_mode():
        y = x * x
        assert torch.is_inference_mode_enabled() and not torch.is_grad_enabled()
    assert not y.requires_grad and y.is_inference() and not x.is_inference()
    assert torch.is_grad_enabled() and not torch.is_inference_mode_enabled()

    @torch.inference_mode()
    def called(x):  # noqa: ANN001, ANN202
        return x * 2

    @torch.inference_mode
    def bare(x):  # noqa: ANN001, ANN202
        return x * 3
    assert not called(x).requires_grad and called(x).is_inference()
    assert bare(x).is_inference() and bare.__name__ == "bare"


def test_mode_false_turns_it_off_inside() -> None:
    x = torch.ones(2, requires_grad=True)
    with torch.inference_mode(mode=False):
        y = x * 2
    assert y.requires_grad and not y.is_inference()
    with torch.inference_mode():
        with torch.inference_mode(False):
            assert not torch.is_inference_mode_enabled()
        assert torch.is_inference_mode_enabled()


def test_inference_tensors_have_no_version_counter() -> None:
    with torch.inference_mode():
        y = torch.ones(2)
    with pytest.raises(RuntimeError, match="^Inference tensors do not track version counter.$"):
        _ = y._version


def test_inference_tensors_cannot_be_saved_for_backward() -> None:
    with torch.inference_mode():
        x = torch.ones(3)
    w = torch.tensor([1., 2., 3.], requires_grad=True)
    (x * 2).sum()  # nothing saved: fine
    with pytest.raises(RuntimeError) as e:
        w * x  # mul saves both inputs
    assert str(e.value) == errors.INFERENCE_SAVED
    assert str(e.value).startswith("Inference tensors cannot be saved for backward. Please do not")


def test_inplace_on_inference_tensor_only_inside_inference_mode() -> None:
    with torch.inference_mode():
        x = torch.ones(3)
        x.add_(1)
    assert x.tolist() == [2., 2., 2.]
    with pytest.raises(RuntimeError, match="^Inplace update to inference tensor outside "
                                           "InferenceMode is not allowed.You can make a clone"):
        x.add_(1)
    y = x.clone()
    y.add_(1)
    assert y._version == 1 and not y.is_inference()

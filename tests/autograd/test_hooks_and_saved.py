"""Node hooks (tuples in, tuples out), ``_saved_*`` attributes, saved-tensor hooks,
post-accumulate hooks and the empty ``inputs=`` errors, as PyTorch 2.13 has them."""

from __future__ import annotations

import pytest

import symgrad as torch


def test_prehook_gets_and_returns_a_tuple_and_posthook_sees_both_sides() -> None:
    a = torch.tensor([1., 2.], requires_grad=True)
    b = a * 3
    log = []
    h = b.grad_fn.register_prehook(lambda go: (log.append(("pre", type(go).__name__)),
                                               (go[0] * 2,))[1])
    b.grad_fn.register_hook(lambda gi, go: log.append(("post", gi[0].tolist(), gi[1],
                                                       go[0].tolist())))
    b.sum().backward()
    assert log == [("pre", "tuple"), ("post", [6., 6.], None, [2., 2.])]
    assert a.grad.tolist() == [6., 6.]
    h.remove()
    a.grad = None
    (a * 3).sum().backward()
    assert a.grad.tolist() == [3., 3.]
    assert repr(h).startswith("<torch.utils.hooks.RemovableHandle object at 0x")


def test_posthook_result_replaces_the_input_gradients() -> None:
    a = torch.tensor([1., 2.], requires_grad=True)
    b = a.exp()
    b.grad_fn.register_hook(lambda gi, go: (gi[0] * 0 + 7,))
    b.sum().backward()
    assert a.grad.tolist() == [7., 7.]


def test_saved_attributes_name_what_the_node_saved() -> None:
    a = torch.tensor([1., 2.], requires_grad=True)
    b = torch.tensor([3., 4.], requires_grad=True)
    y = a * b
    assert y.grad_fn._saved_self is a and y.grad_fn._saved_other is b
    s = a.sigmoid()
    r = s.grad_fn._saved_result  # a saved output is a new object on the same storage
    assert r is not s and r.grad_fn is s.grad_fn and r.tolist() == s.tolist()
    assert (a * 2).grad_fn._saved_other.tolist() == 2 and (a * 2).grad_fn._saved_self is None
    assert a.pow(3).grad_fn._saved_exponent == 3
    assert type(y.grad_fn._raw_saved_self).__name__ == "SavedTensor"
    y.sum().backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second"):
        _ = y.grad_fn._saved_self
    with pytest.raises(AttributeError, match="'MulBackward0' object has no attribute "
                                             "'_saved_exponent'"):
        _ = y.grad_fn._saved_exponent


def test_saved_tensors_hooks_pack_at_save_and_unpack_in_backward() -> None:
    log = []

    def pack(t):
        log.append(("pack", repr(t)))
        return t.detach() * 1

    def unpack(t):
        log.append(("unpack", t.tolist()))
        return t

    a = torch.tensor([0., 1.], requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = a.exp()
    y.mul_(1)  # the hooks own the value now: no version check
    y.sum().backward()
    assert log == [("pack", "tensor([1.0000, 2.7183], grad_fn=<ExpBackward0>)"),
                   ("unpack", pytest.approx([1.0, 2.718281828]))]
    with torch.autograd.graph.save_on_cpu():
        (a * a).sum().backward()


def test_post_accumulate_grad_hook_runs_after_the_gradient_lands() -> None:
    a = torch.tensor([1., 2.], requires_grad=True)
    seen = []
    h = a.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
    (a * a).sum().backward()
    (a * a).sum().backward()
    assert seen == [[2., 4.], [4., 8.]]
    h.remove()
    with pytest.raises(RuntimeError, match="^post accumulate grad hooks cannot be registered "
                                           "on non-leaf tensors$"):
        (a * 1).register_post_accumulate_grad_hook(print)


def test_empty_inputs_and_materialized_zeros() -> None:
    x = torch.tensor([1., 2.], requires_grad=True)
    w = torch.tensor([1., 2.], requires_grad=True)
    with pytest.raises(RuntimeError, match="^`inputs` argument to `grad\\(\\)` cannot be empty.$"):
        torch.autograd.grad((x * x).sum(), [])
    with pytest.raises(RuntimeError, match="^`inputs` argument to `backward\\(\\)` cannot be "):
        (x * x).sum().backward(inputs=[])
    _, gw = torch.autograd.grad((x * x).sum(), [x, w], materialize_grads=True,
                                 create_graph=True)
    assert gw.requires_grad and gw.tolist() == [0., 0.]


def test_jvp_of_grad_leaves_no_graph_behind() -> None:
    f = lambda x: (x.sin() * x).sum()
    value, tangent = torch.func.jvp(torch.func.grad(f), (torch.tensor([0.5, 1.]),),
                                    (torch.ones(2),))
    assert value.grad_fn is None and tangent.grad_fn is None

"""``nn.Module``: parameters, buffers and child modules by name, ``state_dict``,
``train``/``eval``, hooks, and PyTorch's ``repr``.

A root module call names its parameters' symbols after their path, so formulas read
``W_fc1``, ``b_fc1`` (``weight`` -> ``W``, ``bias`` -> ``b``, the dotted path joined
by ``_``; an index path as in ``Sequential`` gives ``W0``, ``b2``). See
:func:`symbol_name`.

>>> import symgrad as torch
>>> class Net(torch.nn.Module):
...     def __init__(self):
...         super().__init__()
...         self.fc1 = torch.nn.Linear(2, 3)
...         self.act = torch.nn.ReLU()
...     def forward(self, x):
...         return self.act(self.fc1(x))
>>> net = Net()
>>> net
Net(
  (fc1): Linear(in_features=2, out_features=3, bias=True)
  (act): ReLU()
)
>>> [name for name, _ in net.named_parameters()]
['fc1.weight', 'fc1.bias']
>>> _ = net(torch.ones(2)); net.fc1.weight.name
'W_fc1'
"""

from __future__ import annotations

import gc
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from .. import dtypes, errors
from ..eager.autograd_methods import zero_grads
from ..eager.tensor import Tensor
from ..tape.grad_mode import no_grad
from .parameter import Parameter

_LETTER = {"weight": "W", "bias": "b"}
_NAMED: weakref.WeakValueDictionary[str, Tensor] = weakref.WeakValueDictionary()
"""The parameters named by a model call so far, by symbol name."""


def symbol_name(path: str) -> str:
    """The formula symbol of the parameter at ``path`` (``fc1.weight`` -> ``W_fc1``).

    >>> symbol_name("fc1.weight"), symbol_name("0.bias"), symbol_name("layers.2.weight")
    ('W_fc1', 'b0', 'W_layers_2')
    >>> symbol_name("weight"), symbol_name("a"), symbol_name("block.scale")
    ('W', 'a', 'scale_block')
    """
    *owner, leaf = path.split(".")
    head = _LETTER.get(leaf, leaf)
    if not owner:
        return head
    rest = "_".join(owner)
    return head + rest if rest.isdigit() else f"{head}_{rest}"


class _IncompatibleKeys(NamedTuple):
    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (f"_IncompatibleKeys(missing_keys={self.missing_keys}, "
                f"unexpected_keys={self.unexpected_keys})")

    __str__ = __repr__


class RemovableHandle:
    """Returned by the ``register_*_hook`` methods; ``remove()`` unregisters the hook."""

    _next = 0

    def __init__(self, table: dict) -> None:
        self._table = table
        self.id = RemovableHandle._next
        RemovableHandle._next += 1

    def remove(self) -> None:
        self._table.pop(self.id, None)


def _addindent(text: str, spaces: int) -> str:
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


class Module:
    """Base class of every layer and model (``torch.nn.Module``)."""

    training: bool
    _depth = [0]  # how many module calls are running (the outermost names symbols)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function')

    # ------------------------------------------------------------ calling
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if Module._depth[0] == 0:
            self._name_symbols()
        Module._depth[0] += 1
        try:
            for hook in list(self._forward_pre_hooks.values()):
                new = hook(self, args)
                if new is not None:
                    args = new if isinstance(new, tuple) else (new,)
            out = self.forward(*args, **kwargs)
            for hook in list(self._forward_hooks.values()):
                new = hook(self, args, out)
                if new is not None:
                    out = new
        finally:
            Module._depth[0] -= 1
        return out

    def _name_symbols(self) -> None:
        """Give each unnamed parameter the symbol of its path (see :func:`symbol_name`),
        made unique among the parameters named so far (``W``, then ``W_1``...), so that
        two layers called separately never share a symbol."""
        for path, p in self.named_parameters():
            if p._name is None:
                base = name = symbol_name(path)
                k = 0
                if _NAMED.get(name) is not None:
                    gc.collect()  # a model no longer used may still hold the name (cycles)
                while _NAMED.get(name) is not None:
                    k += 1
                    name = f"{base}_{k}"
                p._name = name
                _NAMED[name] = p

    def register_forward_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        handle = RemovableHandle(self._forward_hooks)
        self._forward_hooks[handle.id] = hook
        return handle

    def register_forward_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        handle = RemovableHandle(self._forward_pre_hooks)
        self._forward_pre_hooks[handle.id] = hook
        return handle

    # ------------------------------------------------------------ attributes
    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name)
            params[name] = value
        elif params is not None and name in params:
            if value is not None and not isinstance(value, Parameter):
                raise TypeError(errors.bad_parameter_assign(_type_name(value), name))
            params[name] = value
        elif isinstance(value, Module):
            if params is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name)
            self._modules[name] = value
        elif params is not None and name in self._modules:
            if value is not None:
                raise TypeError(errors.bad_module_assign(_type_name(value), name))
            self._modules[name] = value
        elif params is not None and name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{_type_name(value)}' as buffer '{name}' "
                                "(torch.Tensor or None expected)")
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str) -> None:
        self.__dict__.pop(name, None)
        for table in (self._parameters, self._buffers, self._modules):
            table.pop(name, None)

    def __getattr__(self, name: str) -> Any:
        d = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            if table in d and name in d[table]:
                return d[table][name]
        raise AttributeError(errors.no_attribute(type(self).__name__, name))

    def __delattr__(self, name: str) -> None:
        for table in (self._parameters, self._buffers, self._modules):
            if name in table:
                del table[name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(errors.bad_parameter_assign(_type_name(param), name))
        self._forget(name)
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        self._forget(name)
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        self._forget(name)
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target: str) -> Module:
        mod: Module = self
        for part in target.split(".") if target else ():
            mod = getattr(mod, part)
        return mod

    def get_parameter(self, target: str) -> Parameter:
        owner, _, name = target.rpartition(".")
        return getattr(self.get_submodule(owner), name)

    # ------------------------------------------------------------ walking
    def named_modules(self, memo: set | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        memo = set() if memo is None else memo
        stack = [(prefix, self)]
        while stack:
            path, mod = stack.pop()
            if remove_duplicate:
                if id(mod) in memo:
                    continue
                memo.add(id(mod))
            yield path, mod
            kids = [(f"{path}.{k}" if path else k, m) for k, m in mod._modules.items()
                    if m is not None]
            stack.extend(reversed(kids))

    def modules(self) -> Iterator[Module]:
        for _, m in self.named_modules():
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        seen: set[int] = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def children(self) -> Iterator[Module]:
        for _, m in self.named_children():
            yield m

    def _named_members(self, table: str, prefix: str, recurse: bool,
                       remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        seen: set[int] = set()
        mods = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for path, mod in mods:
            for k, v in getattr(mod, table).items():
                if v is None or (remove_duplicate and id(v) in seen):
                    continue
                seen.add(id(v))
                yield (f"{path}.{k}" if path else k), v

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every submodule (children first) and then on this module."""
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------ modes and grads
    def train(self, mode: bool = True) -> Module:
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the parameters' gradients: ``None`` (default) or zeros."""
        zero_grads(self.parameters(), set_to_none)

    # ------------------------------------------------------------ dtype and device
    def _convert(self, fn: Callable[[Tensor], Tensor]) -> Module:
        with no_grad():
            for m in self.modules():
                for table in (m._parameters, m._buffers):
                    for k, v in table.items():
                        if v is not None:
                            v.data = fn(v.data)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """``to(dtype)`` converts floating parameters and buffers; devices are only CPU."""
        dtype = kwargs.get("dtype")
        for a in args:
            if isinstance(a, dtypes.DType):
                dtype = a
        if dtype is None:
            return self
        return self._convert(lambda t: t.to(dtype) if t.dtype.is_floating_point else t)

    def float(self) -> Module:
        return self.to(dtypes.float32)

    def double(self) -> Module:
        return self.to(dtypes.float64)

    def cpu(self) -> Module:
        return self

    def type(self, dst_type: Any) -> Module:
        return self.to(dst_type)

    # ------------------------------------------------------------ state
    def state_dict(self, *args: Any, destination: dict | None = None, prefix: str = "",
                   keep_vars: bool = False) -> dict[str, Tensor]:
        """Parameters and persistent buffers by path (detached unless ``keep_vars``)."""
        out: dict[str, Tensor] = OrderedDict() if destination is None else destination
        for path, mod in self.named_modules(prefix=prefix.rstrip(".")):
            for k, v in mod._parameters.items():
                if v is not None:
                    out[f"{path}.{k}" if path else k] = v if keep_vars else v.detach()
            for k, v in mod._buffers.items():
                if v is not None and k not in mod._non_persistent:
                    out[f"{path}.{k}" if path else k] = v if keep_vars else v.detach()
        return out

    def load_state_dict(self, state_dict: dict[str, Any], strict: bool = True,
                        assign: bool = False) -> _IncompatibleKeys:
        """Copy ``state_dict``'s tensors into the parameters and buffers."""
        own = self.state_dict(keep_vars=True)
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        problems = []
        if strict and unexpected:
            problems.append("Unexpected key(s) in state_dict: "
                            + ", ".join(f'"{k}"' for k in unexpected) + ". ")
        if strict and missing:
            problems.append("Missing key(s) in state_dict: "
                            + ", ".join(f'"{k}"' for k in missing) + ". ")
        for k, target in own.items():
            if k in state_dict:
                src = state_dict[k]
                src = src if isinstance(src, Tensor) else Tensor(src)
                if tuple(src.shape) != tuple(target.shape):
                    problems.append(f"size mismatch for {k}: copying a param with shape "
                                    f"{src.shape} from checkpoint, the shape in current model "
                                    f"is {target.shape}.")
        if problems:
            raise RuntimeError(errors.load_state_dict_errors(type(self).__name__, problems))
        with no_grad():
            for k, target in own.items():
                if k in state_dict:
                    src = state_dict[k]
                    target.copy_(src if isinstance(src, Tensor) else Tensor(src))
        return _IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------ printing
    def extra_repr(self) -> str:
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({k}): " + _addindent(repr(m), 2) for k, m in self._modules.items()]
        lines = extra_lines + child_lines
        main = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                main += extra_lines[0]
            else:
                main += "\n  " + "\n  ".join(lines) + "\n"
        return main + ")"

    def __dir__(self) -> list[str]:
        return sorted(set(object.__dir__(self)) | set(self._parameters) | set(self._buffers)
                      | set(self._modules))


def _type_name(value: Any) -> str:
    if isinstance(value, Tensor):
        return f"torch.{value.dtype.tensor_type}"
    return type(value).__name__

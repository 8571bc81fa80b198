"""What user text may name: functions, modules, tensor methods and attributes.

Everything reachable is listed here by name. A name on a list that the
running build of symgrad does not (yet) provide is reported as not
available rather than looked up somewhere else.

>>> ns = torch_namespace()
>>> ns.lookup("sigmoid").name
'sigmoid'
>>> ns.lookup("os") is None
True
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

FUNCTIONS = frozenset("""
tensor zeros ones full empty arange linspace rand randn zeros_like ones_like full_like rand_like
randn_like manual_seed randint randperm normal bernoulli multinomial initial_seed
set_num_threads get_num_threads set_num_interop_threads get_num_interop_threads
add sub mul div pow neg negative matmul dot mm mv exp log log1p expm1 sqrt rsqrt sin cos tan
asinh logaddexp erf
tanh sigmoid relu abs clamp clip maximum minimum where square reciprocal sign sum mean prod max
min amax amin logsumexp softmax log_softmax reshape view flatten squeeze unsqueeze transpose
permute t expand cat stack clone detach true_divide swapaxes eq ne gt lt ge le logical_and
logical_or logical_not is_grad_enabled diff jacobian hessian check
trace det logdet inverse diagonal norm outer ger kron diag_embed
device
allclose isclose equal eye is_tensor is_inference_mode_enabled argmax argmin all any diag vmap
numel is_inference index_copy from_numpy Tensor FloatTensor DoubleTensor LongTensor IntTensor
BoolTensor is_floating_point Generator get_rng_state set_rng_state set_printoptions
""".split())

DTYPES = frozenset("float32 float64 float16 float double half int64 int32 int16 int8 uint8 "
                   "long bool".split())

CONTEXT_MANAGERS = frozenset({"no_grad", "enable_grad", "set_grad_enabled", "inference_mode"})

NN_FUNCTIONAL = frozenset("mse_loss binary_cross_entropy cross_entropy softmax log_softmax relu "
                          "sigmoid tanh gelu linear binary_cross_entropy_with_logits "
                          "silu elu selu celu softplus leaky_relu hardtanh relu6 logsigmoid "
                          "mish hardswish hardsigmoid smooth_l1_loss huber_loss l1_loss".split())

AUTOGRAD = frozenset({"grad", "backward", "Function", "Variable", "gradcheck", "gradgradcheck"})
# Function: a base class (classes.py)

# function transforms (functional.py bounds what they build and wraps what they return)
FUNC = frozenset("grad grad_and_value vmap jacrev jacfwd hessian jvp vjp functional_call".split())
AUTOGRAD_FUNCTIONAL = frozenset("jacobian hessian vjp jvp vhp hvp".split())
FORWARD_AD = frozenset({"dual_level", "make_dual", "unpack_dual"})
AUTOGRAD_GRAPH = frozenset({"saved_tensors_hooks"})  # its hooks: the snippet's own functions
# nn.init changes existing tensors in place: nothing new to bound
NN_INIT = frozenset("calculate_gain constant_ zeros_ ones_ normal_ uniform_ xavier_uniform_ "
                    "xavier_normal_ kaiming_uniform_ kaiming_normal_".split())
AUTOGRAD_FUNCTION = frozenset({"Function", "once_differentiable"})  # torch.autograd.function

# nn layers and optimizers ``symgrad run`` may build (estimate.py bounds Linear's size);
# a module is called like a function, and modules and optimizers expose only these members
NN_MODULES = frozenset("""
Linear Sequential Flatten Identity ReLU Sigmoid Tanh Softmax LogSoftmax LeakyReLU ELU Softplus
SiLU GELU Hardtanh ReLU6 MSELoss L1Loss CrossEntropyLoss NLLLoss BCELoss BCEWithLogitsLoss SmoothL1Loss HuberLoss
Module Parameter
""".split())

OPTIMIZERS = frozenset("SGD Adam AdamW RMSprop".split())

OBJECT_MEMBERS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # kind: (attributes, methods)
    "module": (frozenset("weight bias training in_features out_features".split()),
               frozenset("parameters named_parameters zero_grad train eval modules children "
                         "named_modules named_children state_dict load_state_dict register_buffer "
                         "buffers named_buffers apply".split())),
    "optimizer": (frozenset({"param_groups"}), frozenset({"step", "zero_grad", "state_dict"})),
    "scheduler": (frozenset({"last_epoch", "base_lrs", "optimizer"}),
                  frozenset({"step", "get_last_lr", "state_dict", "load_state_dict"})),
    "generator": (frozenset({"device"}),
                  frozenset("manual_seed initial_seed seed get_state set_state".split())),
    # torch.utils.data: library datasets and a loader a for loop reads (loops.items)
    "dataset": (frozenset({"tensors", "indices", "dataset"}), frozenset()),
    "dataloader": (frozenset({"dataset", "batch_size", "drop_last", "sampler"}), frozenset()),
    # torch.utils.benchmark (the statement a Timer runs is parsed like the snippet: timing.py)
    "timer": (frozenset(), frozenset({"timeit"})),
    "measurement": (frozenset("times raw_times median mean iqr number_per_run title stmt "
                              "task_spec".split()), frozenset()),
}


def object_kind(obj: Any) -> str | None:
    """``"module"`` for an ``nn.Module``, ``"optimizer"`` for an optimizer, ``"generator"``
    for a random-number generator, else ``None``
    (read from the class's bases, so that this whitelist imports neither)."""
    for cls in type(obj).__mro__:
        if cls.__module__ == "symgrad.nn.module" and cls.__name__ == "Module":
            return "module"
        if cls.__module__ == "symgrad.optim.optimizer" and cls.__name__ == "Optimizer":
            return "optimizer"
        if cls.__module__ == "symgrad.optim.lr_scheduler" and cls.__name__ == "LRScheduler":
            return "scheduler"
        if cls.__module__ == "symgrad.random.generator" and cls.__name__ == "Generator":
            return "generator"
        if cls.__module__ == "symgrad.utils.data" and cls.__name__ in ("Dataset", "DataLoader"):
            return cls.__name__.lower()
        if cls.__module__ == "symgrad.utils.benchmark" and cls.__name__ in ("Timer",
                                                                            "Measurement"):
            return cls.__name__.lower()
    return None

TENSOR_METHODS = frozenset("""
add sub mul div pow neg negative exp log log1p expm1 sqrt rsqrt sin cos tan tanh sigmoid relu
abs reciprocal sign square clamp clip maximum minimum sum mean prod amax amin max min matmul
dot mm mv reshape view flatten unsqueeze squeeze permute transpose t expand sum_to_size clone
logical_not logical_and logical_or gt lt ge le eq ne swapaxes true_divide softmax log_softmax
logsumexp asinh logaddexp erf erf_ trace det logdet inverse diagonal norm outer ger kron
diag_embed
allclose isclose equal all any argmax argmin register_hook index_copy index_copy_ is_inference
type cuda is_floating_point register_post_accumulate_grad_hook diag
add_ sub_ mul_ div_ pow_ zero_ fill_ copy_ clamp_ sigmoid_ exp_ relu_ neg_ tanh_ sqrt_ log_
abs_ sin_ cos_ asinh_ uniform_ normal_ random_ bernoulli_ exponential_ bernoulli multinomial
backward detach detach_ retain_grad requires_grad_ item tolist numpy size dim numel to float
double long int bool type_as expand_as view_as reshape_as cpu contiguous movedim moveaxis
""".split())

TENSOR_ATTRIBUTES = frozenset("""
grad data shape dtype requires_grad grad_fn is_leaf T mT _version grad_formula expr ndim name
device retains_grad
""".split())

TENSOR_SETTABLE = frozenset({"grad", "data", "requires_grad", "name"})

NODE_ATTRIBUTES = frozenset({"name", "next_functions", "variable"})
NODE_METHODS = frozenset({"name", "register_hook", "register_prehook"})  # and _saved_* values

DEVICE_ATTRIBUTES = frozenset({"type", "index"})

# string methods whose result is no longer than the string (no format, join, replace)
STR_METHODS = frozenset("startswith endswith strip lstrip rstrip lower upper split".split())

# Public names of the op table (``api=``) that user text may NOT name, on purpose: each
# new public name is either added to a list above (after checking that the size
# estimator in estimate.py bounds it) or here, with the reason. A test keeps this honest.
NOT_EXPOSED = frozenset({
    "concat", "concatenate",   # aliases of cat: the estimator bounds cat by name only
    "gather", "select", "unbind",  # index arguments not yet checked by the estimator
    "nll_loss",                # takes log-probabilities; cross_entropy is the exposed loss
    "slogdet",                 # returns a (sign, logabsdet) pair, which the CLI cannot print
    # issue 12's tensor surface, not yet bounded by estimate.py: comparisons, index_copy, and
    # device/type conversions (the CLI has one device and prints no type names)
})

BUILTINS = frozenset("print len float int bool abs round str min max sum".split()) | frozenset(
    # symgrad run's bounded iteration helpers and type tests (pybuiltins.py)
    "enumerate zip list tuple sorted reversed any all isinstance type repr setattr "
    "delattr dict globals".split()) | frozenset(
    # for user functions and classes (functions.py, classes.py): bases, decorators, super(),
    # and the exceptions a snippet may raise and catch
    "object super staticmethod classmethod Exception RuntimeError ValueError TypeError "
    "IndexError KeyError ZeroDivisionError AssertionError NotImplementedError AttributeError "
    "StopIteration ArithmeticError LookupError".split())

DATA = frozenset("TensorDataset Subset ConcatDataset random_split DataLoader SequentialSampler "
                 "RandomSampler BatchSampler default_collate".split())

MODULE_ALIASES = frozenset({"torch", "symgrad", "math", "functools", "random"})
# Python's random module, for tutorials that draw with it (dynamic_net.py): the functions
# whose result has a size fixed by their arguments' values (no sample/choices(k=...))
PY_RANDOM = frozenset("seed random randint randrange uniform choice shuffle gauss "
                      "normalvariate".split())

# Python's math module: constants and float functions (none that builds big integers)
MATH = frozenset("sqrt exp log log2 log10 log1p expm1 sin cos tan asin acos atan atan2 sinh "
                 "cosh tanh floor ceil fabs hypot isclose isnan isinf isfinite".split())


@dataclass(frozen=True)
class Function:
    """A whitelisted callable, as user text sees it."""

    name: str
    fn: Any = field(repr=False)
    owner: Any = field(default=None, repr=False)  # the tensor of a bound method

    # deliberately not callable: only the interpreter calls ``fn``, after its checks


@dataclass(frozen=True)
class Namespace:
    """A module as user text sees it: only the listed names exist."""

    name: str
    module: str
    functions: frozenset[str]
    submodules: tuple[str, ...] = ()
    extra: frozenset[str] = frozenset()

    def names(self) -> frozenset[str]:
        return self.functions | set(self.submodules) | self.extra

    def lookup(self, attr: str) -> Any:
        """The value of ``<this module>.attr``, ``None`` if it is not listed,
        or :data:`MISSING` if it is listed but this build lacks it."""
        if attr in self.submodules:
            return _SUBMODULES[f"{self.name}.{attr}"]()
        if attr not in self.functions and attr not in self.extra:
            return None
        path, _, member = self.module.partition(":")  # "symgrad:cuda": a class as module
        mod = importlib.import_module(path)
        try:
            value = getattr(getattr(mod, member) if member else mod, attr)
        except (AttributeError, ImportError):
            return MISSING
        if attr in DTYPES or (attr in self.extra and attr not in CONTEXT_MANAGERS):
            return value
        return Function(attr, value)

    def __repr__(self) -> str:
        return f"<module '{self.name}'>"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def torch_namespace(name: str = "torch") -> Namespace:
    """``torch`` (and ``symgrad``): the whitelisted top level of symgrad."""
    return Namespace(name, "symgrad", FUNCTIONS | CONTEXT_MANAGERS,
                     ("nn", "autograd", "optim", "func", "cuda", "utils"), DTYPES)


def cuda_namespace() -> Namespace:
    """``torch.cuda``: only whether it is there (it never is)."""
    return Namespace("torch.cuda", "symgrad:cuda", frozenset({"is_available"}))


def nn_namespace() -> Namespace:
    return Namespace("torch.nn", "symgrad.nn", NN_MODULES, ("functional", "init", "utils"))


NN_UTILS = frozenset({"clip_grad_norm_", "clip_grad_value_", "get_total_norm",
                      "parameters_to_vector", "vector_to_parameters"})


def nn_utils_namespace() -> Namespace:
    return Namespace("torch.nn.utils", "symgrad.nn.utils", NN_UTILS, ("stateless",))


def nn_stateless_namespace() -> Namespace:
    return Namespace("torch.nn.utils.stateless", "symgrad.nn.utils.stateless",
                     frozenset({"functional_call"}))


def init_namespace() -> Namespace:
    return Namespace("torch.nn.init", "symgrad.nn.init", NN_INIT)


def func_namespace() -> Namespace:
    return Namespace("torch.func", "symgrad.func", FUNC)


def autograd_functional_namespace() -> Namespace:
    return Namespace("torch.autograd.functional", "symgrad.autograd.functional",
                     AUTOGRAD_FUNCTIONAL)


def forward_ad_namespace() -> Namespace:
    return Namespace("torch.autograd.forward_ad", "symgrad.autograd.forward_ad", FORWARD_AD)


def optim_namespace() -> Namespace:
    return Namespace("torch.optim", "symgrad.optim", OPTIMIZERS, ("lr_scheduler",))


LR_SCHEDULERS = frozenset("LRScheduler LambdaLR MultiplicativeLR StepLR MultiStepLR "
                          "ExponentialLR ConstantLR LinearLR CosineAnnealingLR".split())


def lr_scheduler_namespace() -> Namespace:
    return Namespace("torch.optim.lr_scheduler", "symgrad.optim.lr_scheduler", LR_SCHEDULERS)


def functional_namespace() -> Namespace:
    return Namespace("torch.nn.functional", "symgrad.nn.functional", NN_FUNCTIONAL)


def autograd_namespace() -> Namespace:
    return Namespace("torch.autograd", "symgrad.autograd", AUTOGRAD,
                     ("function", "functional", "forward_ad", "graph"))


def autograd_function_namespace() -> Namespace:
    return Namespace("torch.autograd.function", "symgrad.autograd.function", AUTOGRAD_FUNCTION)


_SUBMODULES = {
    **{f"{root}.{path}": ns for root in ("torch", "symgrad") for path, ns in (
        ("nn.init", init_namespace), ("func", func_namespace), ("cuda", cuda_namespace),
        ("nn.utils", nn_utils_namespace), ("nn.utils.stateless", nn_stateless_namespace),
        ("optim.lr_scheduler", lr_scheduler_namespace),
        ("autograd.functional", autograd_functional_namespace),
        ("autograd.forward_ad", forward_ad_namespace),
        ("autograd.graph", lambda: Namespace("torch.autograd.graph", "symgrad.autograd.graph",
                                             AUTOGRAD_GRAPH)))},
    **{f"{root}.utils": (lambda root=root: Namespace(f"{root}.utils", "symgrad.utils",
                                                     frozenset(), ("benchmark", "data")))
       for root in ("torch", "symgrad")},
    **{f"{root}.utils.data": (lambda root=root: Namespace(
        f"{root}.utils.data", "symgrad.utils.data", DATA))
       for root in ("torch", "symgrad")},
    **{f"{root}.utils.benchmark": (lambda root=root: Namespace(
        f"{root}.utils.benchmark", "symgrad.utils.benchmark", frozenset({"Timer"})))
       for root in ("torch", "symgrad")},
    "torch.nn": nn_namespace,
    "symgrad.nn": nn_namespace,
    "torch.autograd": autograd_namespace,
    "symgrad.autograd": autograd_namespace,
    "torch.autograd.function": autograd_function_namespace,
    "symgrad.autograd.function": autograd_function_namespace,
    "torch.nn.functional": functional_namespace,
    "symgrad.nn.functional": functional_namespace,
    "torch.optim": optim_namespace,
    "symgrad.optim": optim_namespace,
}


def module(path: str) -> Namespace | None:
    """The namespace for a dotted module path such as ``torch.nn.functional``.

    >>> module("torch.nn.functional").name
    'torch.nn.functional'
    >>> module("os") is None
    True
    """
    parts = path.split(".")
    if parts[0] not in MODULE_ALIASES:
        return None
    if parts[0] == "functools":  # partial only; the interpreter makes it (expressions.py)
        return Namespace("functools", "functools", frozenset({"partial"})) \
            if len(parts) == 1 else None
    if parts[0] == "random":
        return Namespace("random", "random", PY_RANDOM) if len(parts) == 1 else None
    if parts[0] == "math":
        return Namespace("math", "math", MATH, extra=frozenset({"pi", "e", "tau", "inf", "nan"})) \
            if len(parts) == 1 else None
    ns: Any = torch_namespace(parts[0])
    for p in parts[1:]:
        ns = ns.lookup(p) if isinstance(ns, Namespace) else None
        if not isinstance(ns, Namespace):
            return None
    return ns

"""``sg.optim``: ``SGD``, ``Adam``, ``AdamW`` with PyTorch's update arithmetic.

>>> import symgrad as torch
>>> w = torch.tensor([1.], requires_grad=True)
>>> torch.optim.SGD([w], lr=0.1)
SGD (
Parameter Group 0
    dampening: 0
    differentiable: False
    foreach: None
    fused: None
    lr: 0.1
    maximize: False
    momentum: 0
    nesterov: False
    weight_decay: 0
)
"""

from . import lr_scheduler  # noqa: F401
from .adam import Adam, AdamW  # noqa: F401
from .optimizer import Optimizer  # noqa: F401
from .rmsprop import RMSprop  # noqa: F401
from .sgd import SGD  # noqa: F401

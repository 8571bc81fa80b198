"""The numeric tape: storage and version counters, grad_fn nodes, saved
tensors, the backward engine and grad mode. Never imports ``symbolic``."""

"""Packages that Rasa's dependencies import but the Rasa server never uses, kept out of it.

Why: TensorFlow, which Rasa core imports whatever the pipeline, imports JAX when it is
installed (`tensorflow/lite/python/util.py`, for converting JAX models to TFLite), and
TensorFlow's own requirements install it. Loading jax and jaxlib's XLA library costs the
server about 85 MB of resident memory and a second of start time for a function nothing in
Rasa calls. TensorFlow guards that import (`except ImportError`), so a `None` entry in
`sys.modules` (Python's documented way to make an import fail) leaves it without JAX, as on
a machine where JAX is not installed. Nothing else in the server imports these packages
(opt_einsum and safetensors import jax only when asked for its backend or its format).

Installed when the `rasa_addons` package is imported, which `python -m rasa_addons.serve`
(every way the server is started) does before it imports Rasa. `rasa train` and `rasa test`
import Rasa, and so JAX, first: for them nothing changes.
"""
from __future__ import annotations

import sys
from typing import Iterable

UNUSED = ("jax",)


def keep_out(modules: Iterable[str] = UNUSED) -> None:
    """Make `import <module>` fail in this process unless it was imported already."""
    for name in modules:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]

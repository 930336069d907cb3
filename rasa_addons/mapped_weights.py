"""Read-only numpy views of a `.safetensors` file, memory-mapped instead of read into memory.

Why: `safetensors.numpy.load_file` reads the whole file into Python bytes and copies every
tensor out of it, so a 90 MB encoder costs its size two or three times over while it loads,
and glibc keeps much of that freed memory (the Rasa server grew by 140 MB for 87 MB of
weights). A mapped file costs nothing until a page is read, only the pages read count, and
they are page cache: the kernel can drop and reread them, and processes that map the same
file share them. A vocabulary's embedding rows are mostly never read (a conversation uses a
few hundred of the 30,522 tokens).

The format (https://github.com/huggingface/safetensors, "Format"): 8 bytes, the header's
length as a little-endian u64; the header, JSON: {name: {dtype, shape, data_offsets:
[begin, end]}} plus an optional "__metadata__"; then the tensors' bytes, little-endian and
C-ordered, offsets relative to the end of the header.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import numpy as np

HEADER_LENGTH_BYTES = 8
DTYPES = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2",
    "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
    "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "?",
}


def load(path: Path) -> Dict[str, np.ndarray]:
    """Every tensor of the file as a read-only array that views one shared mapping of it."""
    path = Path(path)
    with path.open("rb") as f:
        length = int.from_bytes(f.read(HEADER_LENGTH_BYTES), "little")
        header = json.loads(f.read(length))
    header.pop("__metadata__", None)
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=HEADER_LENGTH_BYTES + length)
    tensors: Dict[str, np.ndarray] = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = np.dtype(DTYPES[info["dtype"]])
        # a plain ndarray view (not an np.memmap subclass): results of arithmetic stay ndarrays
        tensor = np.ndarray(shape=tuple(info["shape"]), dtype=dtype, buffer=data, offset=begin)
        if tensor.nbytes != end - begin:
            raise ValueError(f"{path}: {name} has {end - begin} bytes for shape {info['shape']} {dtype}")
        tensors[name] = tensor
    return tensors

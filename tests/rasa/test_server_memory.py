"""What keeps the Rasa server under its memory budget (800 MB, bench/README.md).

Reading the sentence encoder into memory made the server 140 MB larger for 87 MB of weights,
and JAX, which TensorFlow imports when installed, costs 85 MB for nothing. These tests check
the causes, not a memory figure that depends on the machine: every weight the encoders compute
with is a read-only view of a mapping of their file (rasa_addons/mapped_weights.py), with
exactly the values the `safetensors` library reads, and the running server maps the encoder's
file and no JAX library (rasa_addons/unused_imports.py). The first runs inside the Rasa
environment (a subprocess), on the files scripts/setup.sh extracted; the second reads the
session's Rasa server's /proc/PID/maps.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"

SCRIPT = r"""
import json, sys
from pathlib import Path
import numpy as np
from safetensors.numpy import load_file, save_file
from rasa_addons import embeddings, mapped_weights, sentence_encoder


def mapped_file(array):
    while array is not None and not isinstance(array, np.memmap):
        array = array.base
    return None if array is None else str(Path(array.filename).resolve())


def same_as_library(path):
    mapped, read = mapped_weights.load(path), load_file(str(path))
    return sorted(mapped) == sorted(read) and all(
        mapped[k].dtype == read[k].dtype and np.array_equal(mapped[k], read[k]) for k in read)


def views_of(arrays, path):
    return all(not a.flags.owndata and not a.flags.writeable and mapped_file(a) == str(path.resolve())
               for a in arrays)


encoder_file = sentence_encoder.DEFAULT_DIR / sentence_encoder.WEIGHTS_FILE
embeddings_file = embeddings.DEFAULT_DIR / embeddings.WEIGHTS_FILE
# every dtype the format has that numpy reads, odd shapes and sizes (offsets not multiples of 8)
tmp = Path(sys.argv[1]) / "kinds.safetensors"
rng = np.random.default_rng(0)
save_file({"f16": rng.standard_normal((3, 5)).astype(np.float16),
           "f32": rng.standard_normal(7).astype(np.float32),
           "f64": rng.standard_normal((2, 1, 3)),
           "i64": np.arange(5, dtype=np.int64), "i8": np.arange(-3, 4, dtype=np.int8),
           "u8": np.arange(9, dtype=np.uint8), "flag": np.array([True, False, True]),
           "empty": np.zeros((0, 4), dtype=np.float32), "scalar": np.array(2.5, dtype=np.float32)}, str(tmp))
print(json.dumps({
    "encoder_file_equal": same_as_library(encoder_file),
    "embeddings_file_equal": same_as_library(embeddings_file),
    "kinds_equal": same_as_library(tmp),
    "encoder_weights_mapped": views_of(sentence_encoder.SentenceEncoder(sentence_encoder.DEFAULT_DIR).w.values(),
                                       encoder_file),
    "embedding_vectors_mapped": views_of([embeddings.StaticEmbedder(embeddings.DEFAULT_DIR).vectors],
                                         embeddings_file),
}))
"""


def test_the_encoders_compute_with_read_only_views_of_their_mapped_files(tmp_path):
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT, str(tmp_path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got == {
        "encoder_file_equal": True,
        "embeddings_file_equal": True,
        "kinds_equal": True,
        "encoder_weights_mapped": True,
        "embedding_vectors_mapped": True,
    }


@pytest.mark.rasa
def test_the_server_maps_the_encoders_file_and_no_jax(bot):
    maps = Path(f"/proc/{bot.process('rasa').pid}/maps").read_text()
    assert "/sentence_encoder/model.safetensors" in maps  # the copy inside the model, mapped
    assert "/tensorflow/" in maps  # what imports JAX is loaded, JAX is not
    assert "/jaxlib/" not in maps and "/jax/" not in maps

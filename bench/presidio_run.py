"""Run Microsoft Presidio's analyzer over a corpus, one log line per request.

Prints one JSON object per result (entity, start, end, score, in byte
offsets of the whole file) to stdout, and the wall and CPU time of the
analysis to stderr as `elapsed_seconds=N` and `cpu_seconds=N`.

Presidio needs a spaCy pipeline. When the `en_core_web_sm` package is
installed it is used. Otherwise a blank English pipeline is saved to disk
and used instead. That turns off Presidio's NER recognizers (names, dates,
locations) but keeps every pattern recognizer, and it makes Presidio faster
than it is with a trained model.
"""

import json
import os
import sys
import tempfile
import time

import spacy
import tldextract

# The email recognizer calls tldextract, which otherwise tries to download
# the public suffix list; the bundled snapshot is enough and keeps the run
# offline.
tldextract.extract = tldextract.TLDExtract(suffix_list_urls=())

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry  # noqa: E402
from presidio_analyzer.nlp_engine import SpacyNlpEngine  # noqa: E402
from presidio_analyzer.predefined_recognizers import UsMbiRecognizer, UsNpiRecognizer  # noqa: E402


def build_analyzer():
    if spacy.util.is_package("en_core_web_sm"):
        model = "en_core_web_sm"
    else:
        model = os.path.join(tempfile.mkdtemp(prefix="presidio-blank-en-"), "model")
        spacy.blank("en").to_disk(model)
    print(f"spacy_model={model}", file=sys.stderr)
    nlp = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}])
    nlp.load()
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(nlp_engine=nlp)
    # Presidio ships its MBI and NPI recognizers disabled; turn them on so
    # every identifier both tools support is compared.
    registry.add_recognizer(UsMbiRecognizer())
    registry.add_recognizer(UsNpiRecognizer())
    return AnalyzerEngine(nlp_engine=nlp, registry=registry)


def main():
    path = sys.argv[1]
    analyzer = build_analyzer()
    with open(path, "rb") as handle:
        data = handle.read()
    started = time.perf_counter()
    cpu_started = time.process_time()
    offset = 0
    out = sys.stdout
    for raw_line in data.split(b"\n"):
        line = raw_line.decode("utf-8", errors="replace")
        if line:
            for result in analyzer.analyze(text=line, language="en"):
                out.write(json.dumps({
                    "entity": result.entity_type,
                    "start": offset + result.start,
                    "end": offset + result.end,
                    "score": result.score,
                }) + "\n")
        offset += len(raw_line) + 1
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(f"elapsed_seconds={elapsed:.3f}", file=sys.stderr)
    print(f"cpu_seconds={cpu:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""`articleflow tagger train|eval`, and the `run --model/--aliases` options.

    articleflow tagger train corpus/ar-*.conll corpus/en-*.conll --out ar-en.crfsuite
    articleflow tagger eval tests/fixtures/conll/ar-test.conll                  # offline backend
    articleflow tagger eval tests/fixtures/conll/ --tagger crf --model ar-en.crfsuite
    articleflow run article.txt --model ar-en.crfsuite --aliases aliases.csv      # implies --tagger crf

Corpora are CoNLL/IOB files (token per line, tag last, blank line between sentences; IOB1, IOB2 and
BIOES read alike; PER/PERS, LOC/GPE, ORG, MISC ... map onto our types), see `core.tagging.conll`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def _docs(args: argparse.Namespace) -> Any:
    from articleflow.core.tagging.conll import read_corpora

    for raw in args.corpus:
        if not Path(raw).exists():
            raise SystemExit(f"articleflow: no such corpus: {raw}")
    docs = read_corpora(args.corpus, language=args.language)
    if not docs:
        raise SystemExit("articleflow: the corpus has no sentences")
    return docs


def _aliases(path: str | None) -> Any:
    if not path:
        return None
    from articleflow.core.tagging.aliases import AliasTable

    return AliasTable.parse(Path(path).read_bytes(), path)


def cmd_train(args: argparse.Namespace) -> int:
    from articleflow.core.tagging.crf import train_model

    docs = _docs(args)
    params: dict[str, Any] = {}
    if args.c1 is not None:
        params["c1"] = args.c1
    if args.c2 is not None:
        params["c2"] = args.c2
    if args.max_iterations is not None:
        params["max_iterations"] = args.max_iterations
    started = time.perf_counter()
    report = train_model(docs, args.out, params)
    print(
        f"trained {report['model']} on {report['sentences']} sentences in {time.perf_counter() - started:.1f} s "
        f"({report['passes']} passes, {report['bytes']} bytes; labels: {' '.join(report['labels'])})",
        file=sys.stderr,
    )
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from articleflow.core.tagging import get_tagger, tagger_class
    from articleflow.core.tagging.conll import evaluate

    name = args.tagger or ("crf" if args.model else "offline")
    if args.model and name != "crf":
        raise SystemExit(f"articleflow: --model is for the crf tagger, not {name!r}")
    if name == "crf" and not args.model:
        raise SystemExit("articleflow: the crf tagger needs --model PATH (train one with `articleflow tagger train`)")
    options: dict[str, Any] = {}
    aliases = _aliases(args.aliases)
    if aliases is not None:
        options["aliases"] = aliases
    if args.model:
        options["model_path"] = Path(args.model)
    if "entity_service" in tagger_class(name).needs:
        from articleflow.adapters.comprehend import BotoComprehend

        options["entity_service"] = BotoComprehend()
    tagger = get_tagger(name, **options)
    docs = _docs(args)
    scores = evaluate(tagger, docs, all_types=args.all_types)
    if args.json:
        print(json.dumps({"tagger": name, "scores": scores.as_dict()}, indent=2))
    else:
        tokens = sum(len(s.tokens) for d in docs for s in d.sentences)
        print(f"tagger {name}: {len(docs)} document(s), {tokens} tokens; exact span + type (seqeval convention)")
        print(scores.table())
    return 0


def register(subparsers: Any) -> None:
    """Add `tagger train` and `tagger eval` to the `articleflow` command's subparsers."""
    tagger = subparsers.add_parser(
        "tagger",
        help="train and evaluate entity taggers on CoNLL/IOB corpora",
        description="Train the crf tagger, or score any tagger backend, on CoNLL/IOB files.",
    )
    commands = tagger.add_subparsers(dest="tagger_command", required=True)

    train = commands.add_parser(
        "train",
        help="train a crf model from CoNLL/IOB files",
        description="Train a CRF (python-crfsuite) on CoNLL/IOB files or folders of *.conll/*.iob files. "
        "Upload the model under models/ in the article bucket and deploy with TaggerBackend=crf and "
        "TaggerModelKey=<its key>.",
    )
    train.add_argument("corpus", nargs="+", metavar="CORPUS", help="CoNLL/IOB files or folders")
    train.add_argument("--out", required=True, metavar="MODEL", help="where to write the model")
    train.add_argument("--language", help="language of every document (default: '# lang =' or file prefix)")
    train.add_argument("--c1", type=float, help="L1 regularisation (default 0.05)")
    train.add_argument("--c2", type=float, help="L2 regularisation (default 0.05)")
    train.add_argument("--max-iterations", type=int, help="training iterations (default 150)")
    train.set_defaults(func=cmd_train)

    ev = commands.add_parser(
        "eval",
        help="score a tagger on CoNLL/IOB files (precision, recall, F1 per type)",
        description="Exact-match precision, recall and F1 per type and overall (micro), seqeval convention. "
        "Only the types the corpus annotates are scored unless --all-types.",
    )
    ev.add_argument("corpus", nargs="+", metavar="CORPUS", help="CoNLL/IOB files or folders")
    ev.add_argument("--tagger", help="backend: offline (default), crf (with --model), comprehend (needs AWS)")
    ev.add_argument("--model", metavar="PATH", help="trained crf model (implies --tagger crf)")
    ev.add_argument("--aliases", metavar="PATH", help="alias table (JSON or CSV) for the linker")
    ev.add_argument("--language", help="language of every document (default: '# lang =' or file prefix)")
    ev.add_argument("--all-types", action="store_true", help="also score types the corpus never annotates")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.set_defaults(func=cmd_eval)


# --- `articleflow run` ---------------------------------------------------------------------------


def add_run_options(run: argparse.ArgumentParser) -> None:
    """`--model` and `--aliases` for `articleflow run`."""
    run.add_argument(
        "--model",
        metavar="PATH",
        help="trained crf model: uploaded to models/crf/ on the embedded AWS and set as TAGGER_MODEL_KEY "
        "(implies --tagger crf)",
    )
    run.add_argument(
        "--aliases",
        metavar="PATH",
        help="alias table (JSON or CSV): uploaded to models/aliases/ and set as ALIAS_TABLE_KEY",
    )


def pipeline_options(args: argparse.Namespace) -> dict[str, Any]:
    """EmbeddedPipeline keyword arguments for `run`'s --tagger, --model and --aliases."""
    tagger = args.tagger
    model = Path(args.model) if getattr(args, "model", None) else None
    aliases = Path(args.aliases) if getattr(args, "aliases", None) else None
    if model is not None:
        if tagger not in ("offline", "crf"):
            raise SystemExit(f"articleflow: --model is for the crf tagger, not {tagger!r}")
        tagger = "crf"
        if not model.is_file():
            raise SystemExit(f"articleflow: no such model: {model}")
    if aliases is not None and not aliases.is_file():
        raise SystemExit(f"articleflow: no such alias table: {aliases}")
    return {"tagger": tagger, "model": model, "alias_table": aliases}

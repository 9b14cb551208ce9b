"""The command line: ``python -m core.mnist {download,train,predict,evaluate}``.

Every command prints human-readable progress on stderr and machine-readable JSON on stdout
(``train``: one object as the last line; ``predict``: one line per image; ``evaluate``: the
confusion matrix as text, then one JSON object). Errors are one clear line, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace

import numpy as np
from tqdm import tqdm

from ..atomicfile import check_writable
from ..modelfile import MAX_PARAMETERS, ModelFileError, load_model, mlp_parameter_count, save_model
from ..trainer import TrainingDiverged
from .data import load_test_data, load_training_data
from .download import DEFAULT_MIRROR, DownloadError, download_mnist, read_checksums
from .idx import IdxError
from .preprocess import load_image_file, preprocess_digit
from .train import DEFAULT_RECIPE, N_CLASSES, N_PIXELS, predict_digits, train_digits

MODEL_KIND = "mnist-digits"
# The full 60,000 digits need fewer distortions per digit per epoch than the 4,000 of the sample.
LARGE_SET, LARGE_SET_COPIES = 10_000, 1


class CliError(Exception):
    """A user mistake or a bad input file: printed as one line, exit code 2."""


def parse_hidden(text: str) -> tuple[int, ...]:
    """'256,128' -> (256, 128); '' or 'none' -> () (the 1-layer net)."""
    text = text.strip()
    if text.lower() in ("", "none", "0"):
        return ()
    try:
        widths = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--hidden takes widths separated by commas, like 256,128; got {text!r}.") from None
    if any(w < 1 or w > 4096 for w in widths) or len(widths) > 8:
        raise argparse.ArgumentTypeError(f"--hidden: 1 to 8 layers of 1 to 4096 neurons each; got {text!r}.")
    n = mlp_parameter_count((N_PIXELS, *widths, N_CLASSES))
    if n > MAX_PARAMETERS:
        raise argparse.ArgumentTypeError(f"--hidden {text}: that net has {n:,} parameters, more than the {MAX_PARAMETERS:,} "
                                         "a model file holds; use fewer or narrower layers.")
    return widths


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}.")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (value > 0 and np.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}.")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core.mnist", description="MNIST digits: download, train, predict, evaluate.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("download", help="fetch, verify and cache the four official MNIST files")
    p.add_argument("--dir", help="where to store them (default: ~/.cache/nn-playground/mnist or $NN_PLAYGROUND_CACHE/mnist)")
    p.add_argument("--mirror", default=DEFAULT_MIRROR, help=f"base URL holding the four .gz files (default {DEFAULT_MIRROR})")
    p.add_argument("--checksums", help="a file of the four files' digests as sha256sum or md5sum writes them; needed for a "
                   "plain-http mirror (the default mirror's files are checked against the originals' MD5s)")
    p.add_argument("--timeout", type=positive_float, default=60.0, help="seconds to wait for the server (default 60)")

    r = DEFAULT_RECIPE
    p = sub.add_parser("train", help="train a digit network and save it as a model file")
    default_hidden = ",".join(map(str, r.hidden))
    p.add_argument("--hidden", type=parse_hidden, default=r.hidden,
                   help=f"hidden widths, e.g. 256,128; '' for none (default {default_hidden})")
    p.add_argument("--activation", default=r.activation, choices=["relu", "leaky_relu", "tanh", "sigmoid", "linear"],
                   help=f"hidden activation (default {r.activation})")
    p.add_argument("--epochs", type=positive_int, default=r.rounds,
                   help=f"epochs; with augmentation each epoch sees fresh distortions of every digit (default {r.rounds})")
    p.add_argument("--augment", action=argparse.BooleanOptionalAction, default=r.augment,
                   help="distort training digits (shifts, rotations, scaling, elastic, stroke width); on by default")
    p.add_argument("--copies", type=positive_int, default=None,
                   help=f"distortions per digit per epoch (default {r.copies} for a small set like the sample, "
                   f"{LARGE_SET_COPIES} for the full 60,000)")
    p.add_argument("--lr", type=positive_float, default=r.lr, help=f"Adam learning rate at the start (default {r.lr})")
    p.add_argument("--batch-size", type=positive_int, default=r.batch_size, help=f"minibatch size (default {r.batch_size})")
    p.add_argument("--data", help="a directory with the four official IDX files (default: the cache dir if downloaded, "
                   "else the embedded 5,000-digit sample)")
    p.add_argument("--seed", type=int, default=r.seed, help="random seed (default 0)")
    p.add_argument("--out", required=True, help="the model file to write (.npz)")

    p = sub.add_parser("predict", help="read digits from image files")
    p.add_argument("--model", required=True, help="a model file written by train")
    p.add_argument("images", nargs="+", help="PNG/JPEG files, any size, either polarity")

    p = sub.add_parser("evaluate", help="accuracy and confusion matrix of a model")
    p.add_argument("--model", required=True, help="a model file written by train")
    p.add_argument("--data", help="a directory with the official test files "
                   "(default: the cache dir, else the sample's 1,000 held-out digits)")
    return parser


def load_digit_model(path):
    """A model file's net, checked to take 784 pixels and give 10 classes."""
    try:
        loaded = load_model(path)
    except ModelFileError as exc:
        raise CliError(f"Cannot load model {path}: {exc}") from None
    net = loaded.net
    if (net.n_inputs, net.n_outputs) != (N_PIXELS, N_CLASSES):
        raise CliError(f"{path} is a model for {net.n_inputs} inputs and {net.n_outputs} outputs, not a digit model (784 -> 10).")
    return net


def cmd_download(args) -> int:
    hashes = read_checksums(args.checksums) if args.checksums else None
    folder = download_mnist(args.dir, mirror=args.mirror, timeout=args.timeout, log=lambda m: print(m, file=sys.stderr),
                            hashes=hashes)
    print(json.dumps({"directory": str(folder), "files": 4, "verified": True}))
    return 0


def cmd_train(args) -> int:
    try:
        check_writable(args.out)  # now, not after minutes of training
    except ValueError as exc:
        raise CliError(f"Cannot write the model to {args.out}: {exc}") from None
    x_train, y_train, x_test, y_test, source = load_training_data(args.data)
    copies = args.copies or (DEFAULT_RECIPE.copies if len(x_train) <= LARGE_SET else LARGE_SET_COPIES)
    recipe = replace(DEFAULT_RECIPE, hidden=args.hidden, activation=args.activation, rounds=args.epochs, augment=args.augment,
                     copies=copies, lr=args.lr, batch_size=args.batch_size, seed=args.seed)
    print(f"Training {N_PIXELS}-{'-'.join(map(str, (*recipe.hidden, 10)))} {recipe.activation} on {len(x_train):,} digits "
          f"({source}){', augmented' if recipe.augment else ''}", file=sys.stderr)
    with tqdm(total=recipe.rounds, desc="training", unit="epoch", file=sys.stderr) as bar:
        def progress(done, total, metrics):
            bar.set_postfix(loss=f"{metrics['loss']:.4f}", refresh=False)
            bar.update(done - bar.n)

        result = train_digits(x_train, y_train, x_test, y_test, recipe, progress=progress)
    summary = {
        "test_accuracy": result.test_accuracy,
        "train_accuracy": result.train_accuracy,
        "epochs": result.rounds,
        "seconds": round(result.seconds, 2),
        "source": source,
        "n_train": len(x_train),
        "n_test": len(x_test),
        "model": args.out,
    }
    extra = {"kind": MODEL_KIND, "recipe": asdict(recipe)}
    extra.update({key: summary[key] for key in ("test_accuracy", "train_accuracy", "source")})
    try:
        save_model(args.out, result.net, extra)  # a unique temporary file in the same folder, renamed into place
    except (OSError, ModelFileError) as exc:
        raise CliError(f"Cannot write the model to {args.out}: {getattr(exc, 'strerror', None) or exc}.") from None
    print(json.dumps(summary))
    return 0


def predict_file(net, path: str) -> dict:
    """One image file -> {"file", "digit", "probabilities"} or {"file", "error"}."""
    try:
        image = load_image_file(path)
        digit = preprocess_digit(image)
    except (ValueError, OSError) as exc:
        return {"file": path, "error": str(exc)}
    if digit is None:
        return {"file": path, "digit": None, "probabilities": None, "note": "blank image: no ink found"}
    probs = predict_digits(net, digit[None])[0]
    return {"file": path, "digit": int(probs.argmax()), "probabilities": [round(float(p), 6) for p in probs]}


def cmd_predict(args) -> int:
    net = load_digit_model(args.model)
    failed = 0
    for path in args.images:
        answer = predict_file(net, path)
        failed += "error" in answer
        print(json.dumps(answer), flush=True)
    return 1 if failed else 0


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n: int = N_CLASSES) -> np.ndarray:
    """(n, n) counts: rows are true digits, columns predicted digits."""
    return np.bincount(y_true * n + y_pred, minlength=n * n).reshape(n, n)


def format_confusion(matrix: np.ndarray) -> str:
    width = max(5, len(str(matrix.max())) + 1)
    lines = ["true \\ predicted".ljust(17) + "".join(str(d).rjust(width) for d in range(len(matrix)))]
    lines += [f"{d}".ljust(17) + "".join(str(v).rjust(width) for v in row) for d, row in enumerate(matrix)]
    return "\n".join(lines)


def cmd_evaluate(args) -> int:
    net = load_digit_model(args.model)
    x, y, source = load_test_data(args.data)
    pred = predict_digits(net, x).argmax(axis=1)
    accuracy = float(np.mean(pred == y))
    matrix = confusion_matrix(y, pred)
    print(f"Accuracy on {source}: {accuracy * 100:.2f}% ({int((pred == y).sum()):,} of {len(y):,})")
    print(format_confusion(matrix))
    print(json.dumps({"accuracy": accuracy, "n": len(y), "source": source, "confusion_matrix": matrix.tolist()}))
    return 0


COMMANDS = {"download": cmd_download, "train": cmd_train, "predict": cmd_predict, "evaluate": cmd_evaluate}


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (CliError, IdxError, DownloadError, TrainingDiverged) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: out of memory; use a smaller model or less data.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

"""Benchmark: each gru_keras cell against the matching Keras built-in layer.

    python -m gru_keras.bench                       # 32 and 256 units, 100 steps
    python -m gru_keras.bench --units 64 --repeats 7 --jit-compile

For every cell and size, both models get the same weights and data and are measured in
one process, alternating custom and built-in in many short repeats so that a slow
moment of the machine hits both (on a shared virtual machine a single long run of each
can differ by a factor of two for reasons that have nothing to do with the code): training throughput (sequences per second through one epoch of
`fit`) and inference throughput (`predict`). The table gives medians and the ratio of
custom time to built-in time, taken within each repeat (1.10 means the custom cell is
10% slower), then the process's peak memory.
"""

import argparse
import platform
import resource
import statistics
import sys
import time

from gru_keras.notebook import quiet_tensorflow

CELLS = ("SimpleRNN", "LSTM", "GRU", "GRU-reset-before")


def _pairs():
    import keras

    import gru_keras

    return {
        "SimpleRNN": (gru_keras.SimpleRNNCell, keras.layers.SimpleRNN, {}),
        "LSTM": (gru_keras.LSTMCell, keras.layers.LSTM, {}),
        "GRU": (gru_keras.GRUCell, keras.layers.GRU, {"reset_after": True}),
        "GRU-reset-before": (gru_keras.GRUCell, keras.layers.GRU, {"reset_after": False}),
    }


def _model(layer, steps, features):
    import keras

    model = keras.Sequential([keras.Input((steps, features)), layer, keras.layers.Dense(1)])
    return model


def measure(cell_name, units, steps, sequences, batch_size, repeats, jit_compile, features=8):
    """Seconds per training epoch and per predict pass, for custom and built-in.

    Returns {(kind, phase): [seconds of each repeat]}, kind "custom" or "builtin",
    phase "fit" or "predict"; the i-th entries of custom and built-in were measured
    one right after the other.
    """
    import keras
    import numpy as np

    cell_class, builtin_class, options = _pairs()[cell_name]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(sequences, steps, features)).astype("float32")
    y = rng.normal(size=(sequences, 1)).astype("float32")
    custom = _model(keras.layers.RNN(cell_class(units, **options)), steps, features)
    builtin = _model(builtin_class(units, **options), steps, features)
    builtin.set_weights(custom.get_weights())
    models = {"custom": custom, "builtin": builtin}
    for model in models.values():
        model.compile(optimizer="adam", loss="mse", jit_compile=jit_compile)
        # Warm-up: tracing and compilation are not what we measure.
        model.fit(x[:batch_size], y[:batch_size], batch_size=batch_size, epochs=1, verbose=0)
        model.predict(x[:batch_size], batch_size=batch_size, verbose=0)
    times = {(kind, phase): [] for kind in models for phase in ("fit", "predict")}
    for repeat in range(repeats):
        # Alternate which model goes first, so neither always runs on a warmer machine.
        order = ("custom", "builtin") if repeat % 2 == 0 else ("builtin", "custom")
        for kind in order:
            start = time.perf_counter()
            models[kind].fit(x, y, batch_size=batch_size, epochs=1, verbose=0, shuffle=False)
            times[kind, "fit"].append(time.perf_counter() - start)
            start = time.perf_counter()
            models[kind].predict(x, batch_size=batch_size, verbose=0)
            times[kind, "predict"].append(time.perf_counter() - start)
    return times


def summarise(times, phase, sequences):
    """Median throughputs (sequences per second) and the median of the paired ratios.

    The ratio custom time / built-in time is taken within each repeat, where both ran
    back to back, and its median reported: a slow phase of the machine then cancels out
    instead of landing on one side.
    """
    custom, builtin = times["custom", phase], times["builtin", phase]
    ratio = statistics.median(c / b for c, b in zip(custom, builtin))
    return sequences / statistics.median(custom), sequences / statistics.median(builtin), ratio


def _peak_memory_mib():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m gru_keras.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, nargs="+", default=[32, 256], help="sizes to measure")
    parser.add_argument("--steps", type=int, default=100, help="sequence length")
    parser.add_argument("--sequences", type=int, default=256, help="sequences per measured epoch")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=15, help="measurements per model (median)")
    parser.add_argument("--cells", nargs="+", choices=CELLS, default=list(CELLS))
    parser.add_argument("--jit-compile", action="store_true", help="compile with XLA")
    args = parser.parse_args(argv)
    for name in ("units", "steps", "sequences", "batch_size", "repeats"):
        values = getattr(args, name)
        if any(v <= 0 for v in (values if isinstance(values, list) else [values])):
            parser.error(f"--{name.replace('_', '-')} must be positive")

    quiet_tensorflow()
    import keras
    import tensorflow as tf

    print(f"keras {keras.__version__}, tensorflow {tf.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} CPU cores; "
          f"{args.steps} steps, {args.sequences} sequences, batch {args.batch_size}, "
          f"median of {args.repeats}, jit_compile={args.jit_compile}")
    header = ("| cell | units | fit seq/s custom | fit seq/s Keras | fit ratio "
              "| predict seq/s custom | predict seq/s Keras | predict ratio |")
    print(header)
    print("|" + "---|" * 8)
    worst = 0.0
    for units in args.units:
        for cell in args.cells:
            times = measure(cell, units, args.steps, args.sequences, args.batch_size, args.repeats,
                            args.jit_compile)
            row = [cell, str(units)]
            for phase in ("fit", "predict"):
                custom_rate, builtin_rate, ratio = summarise(times, phase, args.sequences)
                worst = max(worst, ratio)
                row += [f"{custom_rate:.0f}", f"{builtin_rate:.0f}", f"{ratio:.2f}"]
            print("| " + " | ".join(row) + " |", flush=True)
    print(f"\nratio = median over repeats of custom time / Keras time; worst {worst:.2f} (target: at most 1.10). "
          f"Peak memory of the process: {_peak_memory_mib():.0f} MiB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

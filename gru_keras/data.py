"""Data sets of the course, generated with fixed seeds (nothing is downloaded).

Every generator takes `seed` and returns NumPy arrays; the same seed gives the same
data on every machine.
"""

import hashlib
import pathlib

import numpy as np

__all__ = ["decode_tokens", "adding_problem", "ambiguous_tagging", "tagging_words", "next_step_series", "TAGGING_VOCABULARY", "TAG_NAMES", "agreement_sentences_for_clauses", "AGREEMENT_SUBJECT_AT", "AGREEMENT_CLAUSE_AT", "review_sentences", "split_by_time", "TrainScaler", "make_windows", "windowed_splits", "reversal_reviews", "review_words", "REVERSAL_VOCABULARY", "AGREEMENT_VOCABULARY", "AGREEMENT_VERBS", "REVIEW_VOCABULARY"]


def _check_positive_int(value, name, where):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{where}: `{name}` must be a positive integer, got {value!r}.")
    return int(value)


def decode_tokens(tokens, vocabulary, where="decode_tokens"):
    """The words of one padded token sequence (token 0 is padding and is dropped)."""
    tokens = np.asarray(tokens)
    if tokens.ndim != 1 or not np.issubdtype(tokens.dtype, np.integer):
        raise ValueError(f"{where}: `tokens` must be one sequence, a 1D array of integers; "
                         f"got shape {tokens.shape}, dtype {tokens.dtype}.")
    if tokens.size and (tokens.min() < 0 or tokens.max() >= len(vocabulary)):
        raise ValueError(f"{where}: `tokens` must lie in [0, {len(vocabulary)}).")
    return [vocabulary[t] for t in tokens if t != 0]


# ---------------------------------------------------------------------------------
# 01_rnn, 02_lstm: the adding problem
# ---------------------------------------------------------------------------------
def adding_problem(n_sequences, length, seed=0):
    """The adding problem of Hochreiter & Schmidhuber (1997), in the form of Le, Jaitly
    & Hinton (2015): each step carries a random value in [0, 1) and a marker; exactly
    two steps are marked, one in each half of the sequence, and the target is the sum
    of the two marked values.

    Returns `inputs` of shape (n_sequences, length, 2) (value, marker) and `targets`
    of shape (n_sequences, 1). Predicting the mean, 1.0, always gives a mean squared
    error of 1/6 ≈ 0.167 (the variance of a sum of two uniform values): a model must
    beat that to show it remembers the first marked value across the sequence.
    """
    n_sequences = _check_positive_int(n_sequences, "n_sequences", "adding_problem")
    length = _check_positive_int(length, "length", "adding_problem")
    if length < 2:
        raise ValueError(f"adding_problem: `length` must be at least 2, got {length}.")
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(n_sequences, length))
    half = length // 2
    first = rng.integers(0, half, size=n_sequences)
    second = rng.integers(half, length, size=n_sequences)
    markers = np.zeros((n_sequences, length))
    rows = np.arange(n_sequences)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    inputs = np.stack([values, markers], axis=-1).astype("float32")
    targets = (values[rows, first] + values[rows, second])[:, None].astype("float32")
    return inputs, targets


ADDING_PROBLEM_BASELINE_MSE = 1.0 / 6.0


# ---------------------------------------------------------------------------------
# 03_gru
# ---------------------------------------------------------------------------------
AGREEMENT_VOCABULARY = ("<pad>", "the", "cat", "cats", "dog", "dogs", ",", "which",
                        "already", "ate", "a", "lot", "of", "food", "near")
AGREEMENT_VERBS = ("was", "were")
_AGREEMENT_NOUNS = (2, 3, 4, 5)              # singular, plural, singular, plural
_AGREEMENT_FILLERS = (8, 9, 10, 11, 12, 13)
# Where things sit in an agreement sentence, counted from its first word (before padding):
#   near the <noun> , the <subject> , which <clause ...> ,
#   0    1   2      3 4   5         6 7     8
AGREEMENT_SUBJECT_AT = 5
AGREEMENT_CLAUSE_AT = 8


def _check_rate(value, name, where):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{where}: `{name}` must be a number in [0, 1], got {value!r}.")
    return float(value)


def agreement_sentences_for_clauses(clause_lengths, seed=0, attractor_rate=0.3, pad_to=None):
    """Agreement sentences with the clause lengths you choose: one per entry of `clause_lengths`.

    A sentence with a clause of L words has AGREEMENT_CLAUSE_AT + L + 1 tokens:

        near the <noun> , the <subject> , which <clause of L words> ,
        0    1   2      3 4   5         6 7     8 ... 7 + L            8 + L

    (AGREEMENT_SUBJECT_AT = 5, AGREEMENT_CLAUSE_AT = 8). The task is the verb that comes
    next: "was" (0) after "cat" or "dog", "were" (1) after "cats" or "dogs". Two kinds of
    distractor rule out shortcuts: the opening noun, before the subject, has a random
    number (so "agree with the first noun" is wrong half the time), and each clause word
    is, with probability `attractor_rate`, a noun of random number (an "attractor"),
    otherwise a filler from "already ate a lot of food" (so "agree with the last noun"
    fails too). Only the subject decides the verb. Subjects are drawn uniformly from the
    four nouns: chance is 50 %.

    Sentences are padded on the left with "<pad>" (id 0) to `pad_to` tokens (default: the
    longest sentence's length, so that one has no padding). Returns `inputs`
    (len(clause_lengths), pad_to) int32 token ids into AGREEMENT_VOCABULARY and `targets`
    (len(clause_lengths), 1) float32.
    """
    where = "agreement_sentences_for_clauses"
    lengths = np.asarray(clause_lengths)
    if lengths.ndim != 1 or lengths.size == 0 or not np.issubdtype(lengths.dtype, np.integer) \
            or lengths.min() < 0:
        raise ValueError(f"{where}: `clause_lengths` must be a non-empty 1-D array of non-negative "
                         f"integers, got {clause_lengths!r}.")
    attractor_rate = _check_rate(attractor_rate, "attractor_rate", where)
    longest = AGREEMENT_CLAUSE_AT + int(lengths.max()) + 1
    pad_to = longest if pad_to is None else _check_positive_int(pad_to, "pad_to", where)
    if pad_to < longest:
        raise ValueError(f"{where}: `pad_to` must be at least the longest sentence, "
                         f"AGREEMENT_CLAUSE_AT + max(clause_lengths) + 1 = {longest}, got {pad_to}.")
    rng = np.random.default_rng(seed)
    subjects = rng.choice(_AGREEMENT_NOUNS, size=len(lengths))
    inputs = np.zeros((len(lengths), pad_to), dtype="int32")
    for row, length in enumerate(lengths):
        is_noun = rng.random(length) < attractor_rate
        clause = np.where(is_noun, rng.choice(_AGREEMENT_NOUNS, size=length),
                          rng.choice(_AGREEMENT_FILLERS, size=length))
        sentence = [14, 1, rng.choice(_AGREEMENT_NOUNS), 6, 1, subjects[row], 6, 7, *clause, 6]
        inputs[row, pad_to - len(sentence):] = sentence
    plural = (subjects % 2 == 1).astype("float32")
    return inputs, plural[:, None]


REVIEW_VOCABULARY = ("<pad>", "the", "plot", "characters", "ending", "was", "were",
                     "great", "lovely", "dull", "awful", "but", "i", "did", "didn't",
                     "quite", "really", "enjoy", "book")
_REVIEW_PRAISE, _REVIEW_BLAME = (7, 8), (9, 10)
_REVIEW_SUBJECTS = ((2, 5), (3, 6), (4, 5))  # (noun, was|were)


def review_sentences(n_sentences, n_clauses=3, seed=0, verdict_rate=0.5):
    """Short generated book reviews whose verdict, when there is one, sits at the end.

    A review is `n_clauses` opinions of one polarity, such as "the plot was great the
    characters were lovely", optionally followed by a final verdict "but i didn't quite
    enjoy the book" (after praise) or "but i did really enjoy the book" (after blame).
    The label is 1 for a positive review, 0 for a negative one: the opinions decide,
    unless a verdict is there, which overrules them. A model must therefore carry the
    opinions along and drop them when the final phrase arrives.

    Returns `inputs` (n_sentences, 4 * n_clauses + 6) int32 ids into REVIEW_VOCABULARY
    (left-padded with "<pad>" when there is no verdict), `targets` (n_sentences, 1)
    float32, and `verdict_start` (n_sentences,) int: the position of "but", or -1.
    """
    where = "review_sentences"
    n_sentences = _check_positive_int(n_sentences, "n_sentences", where)
    n_clauses = _check_positive_int(n_clauses, "n_clauses", where)
    verdict_rate = _check_rate(verdict_rate, "verdict_rate", where)
    rng = np.random.default_rng(seed)
    width = 4 * n_clauses + 6
    inputs = np.zeros((n_sentences, width), dtype="int32")
    targets = np.zeros((n_sentences, 1), dtype="float32")
    verdict_start = np.full(n_sentences, -1)
    for row in range(n_sentences):
        positive = bool(rng.integers(0, 2))
        adjectives = _REVIEW_PRAISE if positive else _REVIEW_BLAME
        tokens = []
        for _ in range(n_clauses):
            noun, verb = _REVIEW_SUBJECTS[rng.integers(0, len(_REVIEW_SUBJECTS))]
            tokens += [1, noun, verb, int(rng.choice(adjectives))]
        tokens = tokens[1:]  # the review starts with its first noun, "plot was great ..."
        label = positive
        if rng.random() < verdict_rate:
            verdict_start[row] = width - 7
            tokens += [11, 12, 14, 15, 17, 1, 18] if positive else [11, 12, 13, 16, 17, 1, 18]
            label = not positive
        inputs[row, width - len(tokens):] = tokens
        targets[row, 0] = float(label)
    return inputs, targets, verdict_start


# ---------------------------------------------------------------------------------
# 04_bidirectional
# ---------------------------------------------------------------------------------

# Words of the toy tagging language (index 0 is the padding). Two of them are ambiguous:
# like "Teddy" in "Teddy bears" / "Teddy Roosevelt", their tag depends on a later word.
TAGGING_VOCABULARY = (
    "<pad>",
    # fillers, always tagged O
    "he", "she", "said", "that", "the", "a", "big", "new", "today", "was", "on", "sale",
    # unambiguous first names, always PER
    "alice", "bob",
    # ambiguous words: PER when a surname follows, O when a thing follows
    "teddy", "jordan",
    # surnames (PER) and things (O): the later words that decide
    "roosevelt", "smith", "bears", "shoes",
)
TAG_NAMES = ("O", "PER")

_FILLERS = tuple(range(1, 13))
_NAMES = (13, 14)
_AMBIGUOUS = (15, 16)
_SURNAMES = (17, 18)
_THINGS = (19, 20)


def ambiguous_tagging(n_sentences, min_length=6, max_length=12, max_gap=3, seed=0):
    """Sentences of a toy language tagged word by word, O (0) or PER (1), where one
    word per sentence can only be tagged by looking ahead.

    Each sentence has `min_length` to `max_length` words (uniform), drawn from
    `TAGGING_VOCABULARY`, padded with 0 at the end. Filler words are O, first names
    ("alice", "bob") are PER, and each sentence contains exactly one ambiguous word
    ("teddy" or "jordan") followed 1 to `max_gap` words later by a deciding word: a
    surname ("roosevelt", "smith", tagged PER) makes the ambiguous word PER, a thing
    ("bears", "shoes", tagged O) makes it O, with probability 1/2 each. Nothing before
    the ambiguous word tells which, so a model that only reads the past is right on it
    half of the time at best.

    Returns a dict of NumPy arrays:
        tokens     (n_sentences, max_length) int32, word indices, 0 = padding
        tags       (n_sentences, max_length) int32, 0 = O, 1 = PER (0 on padding)
        ambiguous  (n_sentences, max_length) bool, True at the ambiguous word
        lengths    (n_sentences,) int32, number of real words
    """
    where = "ambiguous_tagging"
    n_sentences = _check_positive_int(n_sentences, "n_sentences", where)
    min_length = _check_positive_int(min_length, "min_length", where)
    max_length = _check_positive_int(max_length, "max_length", where)
    max_gap = _check_positive_int(max_gap, "max_gap", where)
    if min_length < max_gap + 1:
        raise ValueError(f"{where}: `min_length` must be at least max_gap + 1 = {max_gap + 1}, "
                         f"got {min_length}.")
    if max_length < min_length:
        raise ValueError(f"{where}: `max_length` ({max_length}) must be at least "
                         f"`min_length` ({min_length}).")
    rng = np.random.default_rng(seed)
    tokens = np.zeros((n_sentences, max_length), dtype="int32")
    tags = np.zeros((n_sentences, max_length), dtype="int32")
    ambiguous = np.zeros((n_sentences, max_length), dtype=bool)
    lengths = rng.integers(min_length, max_length + 1, size=n_sentences).astype("int32")
    for i, length in enumerate(lengths):
        words = rng.choice(_FILLERS, size=length)
        if rng.random() < 0.5:                       # an unambiguous name somewhere
            words[rng.integers(length)] = rng.choice(_NAMES)
        gap = rng.integers(1, max_gap + 1)
        start = rng.integers(0, length - gap)
        person = rng.random() < 0.5
        words[start] = rng.choice(_AMBIGUOUS)
        words[start + gap] = rng.choice(_SURNAMES if person else _THINGS)
        tokens[i, :length] = words
        tags[i, :length] = np.isin(words, _NAMES + _SURNAMES)
        tags[i, start] = int(person)
        ambiguous[i, start] = True
    return {"tokens": tokens, "tags": tags, "ambiguous": ambiguous, "lengths": lengths}


def tagging_words(tokens):
    """The words of one padded sentence of `ambiguous_tagging` (padding dropped)."""
    return decode_tokens(tokens, TAGGING_VOCABULARY, "tagging_words")


def next_step_series(n_series, length, noise=0.1, seed=0):
    """Noisy waves to forecast one step ahead: the target at step t is the input at t+1.

    Each series is the sum of two sine waves with random periods (8 to 30 steps),
    amplitudes (0.3 to 0.7) and phases, plus Gaussian noise of standard deviation
    `noise`. A series of `length + 1` values s_0 ... s_length gives

        inputs   (n_series, length, 1)  s_0 ... s_{length-1}
        targets  (n_series, length, 1)  s_1 ... s_length   (inputs moved one step)

    Returns (inputs, targets) as float32. A forecaster that only sees the past cannot
    predict the noise: its mean squared error stays at or above noise**2.
    """
    where = "next_step_series"
    n_series = _check_positive_int(n_series, "n_series", where)
    length = _check_positive_int(length, "length", where)
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.floating)) or noise < 0:
        raise ValueError(f"{where}: `noise` must be a non-negative number, got {noise!r}.")
    rng = np.random.default_rng(seed)
    t = np.arange(length + 1)[None, :]
    series = np.zeros((n_series, length + 1))
    for _ in range(2):
        period = rng.uniform(8, 30, size=(n_series, 1))
        amplitude = rng.uniform(0.3, 0.7, size=(n_series, 1))
        phase = rng.uniform(0, 2 * np.pi, size=(n_series, 1))
        series += amplitude * np.sin(2 * np.pi * t / period + phase)
    series += rng.normal(0.0, noise, size=series.shape)
    series = series.astype("float32")[..., None]
    return series[:, :-1], series[:, 1:]


# ---------------------------------------------------------------------------------
# Real data shipped in data/ (see data/README.md for source and licence)
# ---------------------------------------------------------------------------------
DATA_DIR = pathlib.Path(__file__).resolve().parent.parent / "data"

SHIPPED_FILES = {
    "sunspots.csv": "f67889b1d9002cd5227f0e0ef54e35b419cdd85a31279adef6f73fb41e5c0a9b",
}


def shipped_file(name, data_dir=None):
    """Path of a data file shipped in data/, after checking its sha256.

    Raises FileNotFoundError naming the missing file, or ValueError when its content is
    not the one recorded in data/README.md (an altered or truncated file).
    """
    if name not in SHIPPED_FILES:
        raise ValueError(f"shipped_file: unknown data file {name!r}; known: {sorted(SHIPPED_FILES)}.")
    path = pathlib.Path(data_dir or DATA_DIR) / name
    if not path.is_file():
        raise FileNotFoundError(
            f"Data file {path} is missing. It is part of the repository: restore it with "
            f"`git checkout -- data/{name}`."
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SHIPPED_FILES[name]:
        raise ValueError(
            f"Data file {path} has been altered: its sha256 is {digest}, expected "
            f"{SHIPPED_FILES[name]} (data/README.md). Restore it with `git checkout -- data/{name}`."
        )
    return path


def load_sunspots(data_dir=None):
    """Yearly mean sunspot numbers 1700–2008 from data/sunspots.csv (checked by sha256).

    Returns (years, values): int array of shape (309,) and float32 array of shape (309,).
    """
    path = shipped_file("sunspots.csv", data_dir)
    table = np.genfromtxt(path, delimiter=",", skip_header=1)
    years, values = table[:, 0].astype(int), table[:, 1].astype("float32")
    if np.any(np.diff(years) != 1) or np.any(np.isnan(values)):
        raise ValueError(f"{path}: expected one value for every year, without gaps.")
    return years, values


# ---------------------------------------------------------------------------------
# 05_in_practice
# ---------------------------------------------------------------------------------
def _check_series(series, where, name="series"):
    array = np.asarray(series)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.number) or array.dtype == bool:
        raise ValueError(f"{where}: `{name}` must be a 1D array of numbers, got shape "
                         f"{array.shape} and dtype {array.dtype}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{where}: `{name}` contains NaN or infinity.")
    return array.astype("float32")


def split_by_time(series, validation_size, test_size):
    """Cuts a series into (train, validation, test), consecutive and in that order.

    The last `test_size` values are the test part, the `validation_size` values just
    before them the validation part, everything earlier the training part. Nothing is
    shuffled: the model is trained on the past and judged on a future it has not seen.
    Returns three float32 arrays whose concatenation is the series.
    """
    where = "split_by_time"
    series = _check_series(series, where)
    validation_size = _check_positive_int(validation_size, "validation_size", where)
    test_size = _check_positive_int(test_size, "test_size", where)
    train_size = len(series) - validation_size - test_size
    if train_size < 2:
        raise ValueError(f"{where}: `validation_size` + `test_size` ({validation_size + test_size}) "
                         f"leave fewer than 2 of the {len(series)} values for training.")
    return (series[:train_size], series[train_size:train_size + validation_size],
            series[train_size + validation_size:])


class TrainScaler:
    """Standardises with the mean and standard deviation of the training part only.

    `TrainScaler(train)` remembers `mean` and `std` of `train`; `transform(values)`
    returns (values - mean) / std and `inverse(scaled)` undoes it. Using statistics of
    the validation or test part would let the model peek at the future's level.
    """

    def __init__(self, train):
        train = _check_series(train, "TrainScaler", "train")
        if len(train) < 2 or float(train.std()) == 0.0:
            raise ValueError("TrainScaler: `train` needs at least 2 different values.")
        self.mean, self.std = float(train.mean()), float(train.std())

    def transform(self, values):
        return ((np.asarray(values, dtype="float32") - self.mean) / self.std).astype("float32")

    def inverse(self, scaled):
        return (np.asarray(scaled, dtype="float32") * self.std + self.mean).astype("float32")

    def __repr__(self):
        return f"TrainScaler(mean={self.mean:.2f}, std={self.std:.2f})"


def make_windows(series, window, horizon=1):
    """Supervised pairs from one part of a series, without looking into the future.

    Window i holds series[i : i + window] and its target is series[i + window + horizon - 1]:
    the value `horizon` steps after the window's last value. Every input and target
    comes from `series` itself, so windows built part by part never cross a split.
    Returns inputs (n, window, 1) and targets (n, 1), float32, n = len - window - horizon + 1.
    """
    where = "make_windows"
    series = _check_series(series, where)
    window = _check_positive_int(window, "window", where)
    horizon = _check_positive_int(horizon, "horizon", where)
    n = len(series) - window - horizon + 1
    if n < 1:
        raise ValueError(f"{where}: a series of {len(series)} values is too short for "
                         f"`window`={window} and `horizon`={horizon}.")
    starts = np.arange(n)
    inputs = series[starts[:, None] + np.arange(window)[None, :]]
    targets = series[starts + window + horizon - 1]
    return inputs[..., None], targets[:, None]


def windowed_splits(series, window, validation_size, test_size, horizon=1):
    """Everything a forecaster needs, done in the safe order.

    1. `split_by_time` into train, validation, test; 2. fit a `TrainScaler` on the
    training part only and scale the three parts with it; 3. `make_windows` inside each
    part. Returns a dict with x_train, y_train, x_val, y_val, x_test, y_test (scaled),
    scaler, and target_index_{train,val,test}: the position in `series` of each target
    (input i of a window sits at target_index - horizon - window + 1 + i).
    """
    parts = split_by_time(series, validation_size, test_size)
    scaler = TrainScaler(parts[0])
    result, offset = {"scaler": scaler}, 0
    for name, part in zip(("train", "val", "test"), parts):
        x, y = make_windows(scaler.transform(part), window, horizon)
        result[f"x_{name}"], result[f"y_{name}"] = x, y
        result[f"target_index_{name}"] = offset + window + horizon - 1 + np.arange(len(y))
        offset += len(part)
    return result


REVERSAL_VOCABULARY = ("<pad>", "i", "it", "but", "later", "loved", "adored", "enjoyed",
                       "hated", "disliked", "loathed", "the", "plot", "acting", "music",
                       "and", "scenes", "were", "was", "long", "with", "some", "actors",
                       "set", "in", "a", "town", "by", "sea")
_REVERSAL_POSITIVE, _REVERSAL_NEGATIVE = (5, 6, 7), (8, 9, 10)
_REVERSAL_FILLERS = tuple(range(11, len(REVERSAL_VOCABULARY)))


def reversal_reviews(n_reviews, min_filler=4, max_filler=16, reversal_rate=0.5, seed=0):
    """Generated film reviews where a strong opinion comes first and, sometimes, the
    last words overturn it: "i loved it the plot was long ... but later i hated it".

    Each review is "i <opinion> it", then `min_filler`..`max_filler` neutral words
    (uniform), then with probability `reversal_rate` "but later i <opposite opinion> it".
    The label is the last opinion: 1 positive, 0 negative. Opinions are drawn from the
    same three positive and three negative verbs at both places, so a reversed review
    contains one opinion of each kind and only their order tells the label: a model
    that ignores word order (a bag of words) can do no better than a coin flip on them.

    Returns `inputs` (n_reviews, max_filler + 8) int32 ids into REVERSAL_VOCABULARY,
    left-padded with "<pad>" (0), `targets` (n_reviews, 1) float32 and `reversed`
    (n_reviews,) bool.
    """
    where = "reversal_reviews"
    n_reviews = _check_positive_int(n_reviews, "n_reviews", where)
    for name, value in (("min_filler", min_filler), ("max_filler", max_filler)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{where}: `{name}` must be a non-negative integer, got {value!r}.")
    if min_filler > max_filler:
        raise ValueError(f"{where}: `min_filler` ({min_filler}) must not exceed `max_filler` ({max_filler}).")
    reversal_rate = _check_rate(reversal_rate, "reversal_rate", where)
    rng = np.random.default_rng(seed)
    width = int(max_filler) + 8
    inputs = np.zeros((n_reviews, width), dtype="int32")
    targets = np.zeros((n_reviews, 1), dtype="float32")
    reversed_ = np.zeros(n_reviews, dtype=bool)
    for row in range(n_reviews):
        positive = bool(rng.integers(0, 2))
        first = rng.choice(_REVERSAL_POSITIVE if positive else _REVERSAL_NEGATIVE)
        filler = rng.choice(_REVERSAL_FILLERS, size=rng.integers(min_filler, max_filler + 1))
        tokens = [1, int(first), 2, *filler.tolist()]
        if rng.random() < reversal_rate:
            reversed_[row] = True
            positive = not positive
            last = rng.choice(_REVERSAL_POSITIVE if positive else _REVERSAL_NEGATIVE)
            tokens += [3, 4, 1, int(last), 2]
        inputs[row, width - len(tokens):] = tokens
        targets[row, 0] = float(positive)
    return inputs, targets, reversed_


def review_words(tokens, vocabulary=REVERSAL_VOCABULARY):
    """The words of one padded review (padding dropped), joined by spaces."""
    return " ".join(decode_tokens(tokens, vocabulary, "review_words"))


# ---------------------------------------------------------------------------------
# 06_language_model: first names of the 1990 US Census (data/dist.*.first)
# ---------------------------------------------------------------------------------
# Shipped unchanged from the PyPI package `names` 0.3.0 (see data/README.md), so anyone
# can compare them with that package's copies.
SHIPPED_FILES.update({
    "dist.female.first": "bd2f310fc4e5d5e5ea122c9d4342c9821145823118eb20db1647f305ec77b358",
    "dist.male.first": "0a5078ef6effe3b483d15b0f7f95047662126c9bfb624ecd5e5b978fc0f2470b",
})
FIRST_NAME_FILES = ("dist.female.first", "dist.male.first")
__all__ += ["load_first_names", "FIRST_NAME_FILES"]


def _census_names(path):
    """The names of one census list: the first field of each line, lower-cased."""
    names = []
    for number, line in enumerate(path.read_text(encoding="ascii").splitlines(), start=1):
        fields = line.split()
        if not fields:
            continue
        name = fields[0].lower()
        if len(fields) != 4 or not (name.isascii() and name.isalpha()):
            raise ValueError(f"{path}, line {number}: expected a name of letters A-Z and three "
                             f"numbers, got {line!r}.")
        names.append(name)
    return names


def load_first_names(data_dir=None):
    """The first names of the 1990 US Census, female and male lists together.

    Reads data/dist.female.first and data/dist.male.first (each checked against its
    sha256 first, see `shipped_file`). Each line holds a name in capitals, its share of
    the population in percent, the cumulative share and its rank. Returns the names
    lower-cased, each once (a name on both lists, such as "james", counts once), in
    alphabetical order: a list of 5,163 strings of the letters a-z, 2 to 11 long.
    """
    names = set()
    for name in FIRST_NAME_FILES:
        names.update(_census_names(shipped_file(name, data_dir)))
    return sorted(names)

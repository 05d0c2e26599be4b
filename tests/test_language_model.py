"""What notebook 06_language_model adds to gru_keras: the census first names and their
loader (sha256 refusal), names as next-character pairs, cross-entropy and perplexity, the
seeded sampler (greedy at temperature 0, the state carried or reset, clear errors), one
step of a Keras model, connectivity, the plots, and the exercise checks with their slips."""

import hashlib
import shutil

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gru_keras import GRUCell, LSTMCell, language as lm, plots  # noqa: E402
from gru_keras.checks import ExerciseError  # noqa: E402
from gru_keras.checks import language as checks  # noqa: E402
from gru_keras.data import DATA_DIR, FIRST_NAME_FILES, SHIPPED_FILES, _census_names, load_first_names  # noqa: E402

V = len(lm.VOCABULARY)


# ----------------------------------------------------------------- the data and its loader
def test_the_shipped_name_files_have_the_recorded_sha256():
    for name in FIRST_NAME_FILES:
        assert hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest() == SHIPPED_FILES[name]
        assert SHIPPED_FILES[name] in (DATA_DIR / "README.md").read_text(), f"{name} is documented with its sha256"


def test_first_names_are_lower_case_unique_and_sorted():
    names = load_first_names()
    assert len(names) == 5163
    assert names == sorted(set(names))
    assert all(name.isascii() and name.isalpha() and name.islower() for name in names)
    assert {"mary", "james", "linda", "zoe"} <= set(names) and names.count("james") == 1
    assert (min(map(len, names)), max(map(len, names))) == (2, 11)


def test_an_altered_or_missing_name_file_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="dist.female.first is missing"):
        load_first_names(data_dir=tmp_path)
    for name in FIRST_NAME_FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    assert load_first_names(data_dir=tmp_path) == load_first_names()
    altered = tmp_path / "dist.male.first"
    altered.write_bytes(altered.read_bytes().replace(b"JAMES", b"JAMEZ", 1))
    with pytest.raises(ValueError, match="dist.male.first has been altered.*git checkout"):
        load_first_names(data_dir=tmp_path)


def test_a_malformed_census_line_is_named(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("MARY           2.629  2.629      1\nJO-ANN  0.1 0.2 3\n")
    with pytest.raises(ValueError, match="line 2"):
        _census_names(path)


# ----------------------------------------------------------------- vocabulary and pairs
def test_encode_decode_and_an_unknown_character():
    assert lm.encode(".abz") == [0, 1, 2, 26] and lm.decode([0, 1, 2, 26]) == ".abz"
    with pytest.raises(ValueError, match="unknown character 'é' in 'josé'"):
        lm.encode("josé")
    with pytest.raises(ValueError, match="unknown characters 'A', 'B'"):
        lm.encode("AB")
    with pytest.raises(TypeError, match="expected a string"):
        lm.encode(3)
    with pytest.raises(ValueError, match="ids must lie"):
        lm.decode([0, 27])


def test_name_pairs_shift_by_one_and_weight_the_padding_zero():
    inputs, targets, weights = lm.name_pairs(["mary", "al"], length=6)
    assert lm.decode(inputs[0]) == ".mary." and lm.decode(targets[0]) == "mary.."
    assert lm.decode(inputs[1]) == ".al..." and lm.decode(targets[1]) == "al...."
    assert weights.tolist() == [[1, 1, 1, 1, 1, 0], [1, 1, 1, 0, 0, 0]]
    assert np.array_equal(inputs[:, 1:][weights[:, :-1] > 0], targets[:, :-1][weights[:, :-1] > 0])
    assert lm.name_pairs(["mary", "al"])[0].shape == (2, 5)


@pytest.mark.parametrize("names, length, match", [
    ([], None, "non-empty"), ("mary", None, "non-empty"), (["ma.ry"], None, "end marker"),
    ([""], None, "empty"), (["Mary"], None, "unknown character 'M'"), (["mary"], 4, "at least"),
])
def test_name_pairs_refuses_bad_input(names, length, match):
    with pytest.raises(ValueError, match=match):
        lm.name_pairs(names, length)


def test_cross_entropy_and_perplexity():
    targets = np.array([[1, 2, 0]])
    weights = np.array([[1.0, 1.0, 0.0]])
    assert lm.perplexity(np.zeros((1, 3, V)), targets, weights) == pytest.approx(V)
    logits = np.full((1, 3, V), -1e3)
    logits[0, 0, 1] = logits[0, 1, 2] = 0.0                      # certain of both real targets
    assert lm.cross_entropy(logits, targets, weights) == pytest.approx(0.0, abs=1e-9)
    half = np.log(np.array([0.5, 0.5] + [1e-30] * (V - 2)))
    assert lm.perplexity(np.tile(half, (1, 2, 1)), np.array([[0, 1]]), np.ones((1, 2))) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="leading shape"):
        lm.cross_entropy(np.zeros((2, V)), np.zeros(3, int), np.ones(3))
    with pytest.raises(ValueError, match="positive sum"):
        lm.cross_entropy(np.zeros((2, V)), np.zeros(2, int), np.zeros(2))
    with pytest.raises(ValueError, match="integer ids"):
        lm.cross_entropy(np.zeros((2, V)), np.array([0, V]), np.ones(2))


# ----------------------------------------------------------------- temperature and the sampler
def test_temperature_probabilities():
    logits = np.array([[1.0, 3.0, 2.0], [0.0, 0.0, 5.0]])
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(lm.temperature_probabilities(logits, 1.0), softmax)
    assert np.array_equal(lm.temperature_probabilities(logits, 0), [[0, 1, 0], [0, 0, 1]])
    cool, hot = lm.temperature_probabilities(logits, 0.5), lm.temperature_probabilities(logits, 5.0)
    assert cool[0, 1] > softmax[0, 1] > hot[0, 1] > 1 / 3
    assert np.all(np.isfinite(lm.temperature_probabilities(logits * 100, 0.01)))


@pytest.mark.parametrize("temperature", [-0.5, float("nan"), float("inf"), True, "1", None])
def test_a_bad_temperature_is_refused_clearly(temperature):
    with pytest.raises(ValueError, match="temperature` must be a finite number >= 0"):
        lm.temperature_probabilities(np.zeros((1, 3)), temperature)
    with pytest.raises(ValueError, match="temperature` must be a finite number >= 0"):
        lm.sample(lambda tokens, state: (np.zeros((len(tokens), V)), state), 2, temperature=temperature)


def _table_step(table):
    """A character model that reads only the last character: logits = log table[token]."""
    return lambda tokens, state: (np.log(table[tokens]), state)


def _random_table(seed=0):
    table = np.random.default_rng(seed).random((V, V)) ** 3 + 1e-3
    return table / table.sum(axis=1, keepdims=True)


def test_temperature_zero_is_greedy():
    table = _random_table()
    expected, token = "", lm.END_ID
    for _ in range(20):
        token = int(np.argmax(table[token]))
        if token == lm.END_ID:
            break
        expected += lm.VOCABULARY[token]
    written = lm.sample(_table_step(table), 5, temperature=0, seed=3)
    assert written == [expected] * 5
    assert lm.sample(_table_step(table), 5, temperature=0, seed=4) == written    # no randomness left


def _counting_step(tokens, state):
    """A model whose whole knowledge is its state: at step k (k = 0, 1, ...) it is certain
    of letter k + 1 ("a", "b", "c"), then of the end marker at step 3."""
    count = np.zeros(len(tokens), int) if state is None else state
    logits = np.full((len(tokens), V), -50.0)
    logits[np.arange(len(tokens)), np.where(count < 3, count + 1, lm.END_ID)] = 50.0
    return logits, count + 1


def test_the_sampler_carries_the_state_and_a_reset_forgets_it():
    assert lm.sample(_counting_step, 3, seed=0) == ["abc"] * 3
    assert lm.sample(_counting_step, 2, seed=0, reset_state=True, max_length=7) == ["aaaaaaa"] * 2
    assert lm.sample(_counting_step, 1, prefix="x") == ["xbc"]        # the prefix is read, state carried


def test_the_sampler_is_seeded_and_follows_the_model():
    table = _random_table(1)
    step = _table_step(table)
    assert lm.sample(step, 40, seed=7) == lm.sample(step, 40, seed=7)
    assert lm.sample(step, 40, seed=7) != lm.sample(step, 40, seed=8)
    written = lm.sample(step, 4000, seed=0, max_length=1)
    first = np.array([lm.encode(name)[0] if name else lm.END_ID for name in written])
    frequencies = np.bincount(first, minlength=V) / len(first)
    assert np.abs(frequencies - table[lm.END_ID]).max() < 0.03             # draws follow the distribution
    assert all(len(name) <= 5 for name in lm.sample(step, 50, seed=0, max_length=5))
    assert all(name.startswith("jo") for name in lm.sample(step, 20, seed=0, prefix="jo"))


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(prefix="zoë"), ValueError, "unknown character 'ë'"),
    (dict(prefix="a.b"), ValueError, "end marker"),
    (dict(n_samples=0), ValueError, "n_samples"),
    (dict(max_length=2.5), ValueError, "max_length"),
])
def test_the_sampler_refuses_bad_arguments(kwargs, error, match):
    arguments = {"n_samples": 2, **kwargs}
    with pytest.raises(error, match=match):
        lm.sample(_table_step(_random_table()), **arguments)


def test_the_sampler_names_a_step_that_is_not_one():
    with pytest.raises(TypeError, match="step"):
        lm.sample("model", 2)
    with pytest.raises(ValueError, match="returned logits of shape"):
        lm.sample(lambda tokens, state: (np.zeros((len(tokens), 5)), state), 2)


# ----------------------------------------------------------------- Keras models, step by step
def _language_model(cell, seed=0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(V, 5),
                             keras.layers.RNN(cell, return_sequences=True), keras.layers.Dense(V)])


@pytest.mark.parametrize("make_cell", [lambda: GRUCell(6), lambda: LSTMCell(4), lambda: keras.layers.GRUCell(6)],
                         ids=["GRUCell", "LSTMCell (two states)", "keras GRUCell"])
def test_keras_step_run_over_a_sequence_is_the_model(make_cell):
    model = _language_model(make_cell())
    inputs, _, _ = lm.name_pairs(["mary", "al", "christopher"])
    whole = keras.ops.convert_to_numpy(model(inputs))
    step = lm.keras_step(model)
    np.testing.assert_allclose(lm.stepwise_logits(step, inputs), whole, atol=1e-5)
    reset = lm.stepwise_logits(step, inputs, reset_state=True)
    np.testing.assert_allclose(reset[:, 0], whole[:, 0], atol=1e-5)          # the first step starts at zero anyway
    assert not np.allclose(reset[:, 1:], whole[:, 1:], atol=1e-3)
    assert len(lm.sample(step, 3, seed=0)) == 3


def test_keras_step_and_connectivity_refuse_other_models():
    model = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(V, 4),
                              keras.layers.Dense(V)])
    for function in (lm.keras_step, lambda m: lm.connectivity(m, np.zeros((1, 3), int), np.zeros((1, 3), int))):
        with pytest.raises(ValueError, match="Embedding -> recurrent layer"):
            function(model)
    with pytest.raises(ValueError, match="inputs"):
        lm.stepwise_logits(lambda tokens, state: (None, state), np.zeros(3, int))


def test_connectivity_is_the_gradient_of_each_prediction_and_never_looks_ahead():
    import tensorflow as tf

    model = _language_model(GRUCell(6), seed=2)
    inputs, targets, _ = lm.name_pairs(["maria", "bo"])
    gradient = lm.connectivity(model, inputs, targets)
    steps = inputs.shape[1]
    assert gradient.shape == (2, steps, steps)
    assert np.all(gradient[:, np.triu_indices(steps, 1)[0], np.triu_indices(steps, 1)[1]] == 0)
    assert np.all(gradient[:, np.arange(steps), np.arange(steps)] > 0)
    embedded = tf.convert_to_tensor(model.layers[0](inputs))
    with tf.GradientTape() as tape:                  # one entry the direct way: sequence 0, step 3
        tape.watch(embedded)
        log_p = tf.nn.log_softmax(model.layers[2](model.layers[1](embedded)), axis=-1)
        value = log_p[0, 3, int(targets[0, 3])]
    direct = np.linalg.norm(tape.gradient(value, embedded).numpy()[0], axis=-1)
    np.testing.assert_allclose(gradient[0, 3], direct, rtol=1e-5, atol=1e-8)


# ----------------------------------------------------------------- plots
def test_plots_draw_and_refuse_bad_input():
    maps = {"SimpleRNN": np.tril(np.ones((4, 4))) / 4, "GRU": np.eye(4)}
    fig = plots.plot_connectivity(maps, ".abc", "abc.")
    assert len(fig.axes) == 3 and fig.axes[0].get_xlabel() == "input character"
    plt.close(fig)
    fig = plots.plot_temperature_measures([0, 1, 2], {"distinct": [0.1, 0.5, 0.9]})
    assert fig.axes[0].get_title() and fig.axes[0].get_xlabel().startswith("temperature")
    plt.close(fig)
    with pytest.raises(ValueError, match="expected"):
        plots.plot_connectivity({"GRU": np.eye(3)}, ".abc", "abc.")
    with pytest.raises(ValueError, match="non-empty"):
        plots.plot_connectivity({}, ".a", "a.")
    with pytest.raises(ValueError, match="3 temperatures"):
        plots.plot_temperature_measures([0, 1, 2], {"distinct": [0.1, 0.5]})


# ----------------------------------------------------------------- exercise 1: perplexity from the loss
def _stub(*args):
    raise NotImplementedError()


def _perplexity_from_loss(keras_loss, weights):
    return float(np.exp(keras_loss * weights.size / weights.sum()))


def test_check_perplexity_from_loss_passes_the_worked_solution(capsys):
    weights = np.array([[1, 1, 0], [1, 1, 1]], dtype="float32")
    checks.check_perplexity_from_loss(_perplexity_from_loss, 0.5, weights, float(np.exp(0.5 * 6 / 5)))
    assert capsys.readouterr().out.startswith("PASS perplexity_from_loss")


@pytest.mark.parametrize("wrong, hint", [
    (lambda loss, w: np.exp(loss), "padding included"),
    (lambda loss, w: np.exp(loss * w.sum() / w.size), "upside down"),
    (lambda loss, w: 2 ** (loss * w.size / w.sum()), "natural logarithm"),
    (lambda loss, w: loss * w.size / w.sum(), "its exponential"),
    (lambda loss, w: np.exp(loss * w.shape[1]), "per name"),
    (lambda loss, w: np.exp(loss * w.size / (w.sum() + 1)), "work out the weighted sum"),
    (lambda loss, w: "7.4", "is not right|expected a number"),
    (_stub, "not written yet"),
])
def test_check_perplexity_from_loss_names_the_slip(wrong, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_perplexity_from_loss(wrong)


def test_check_perplexity_from_loss_says_which_way_but_not_the_right_number():
    with pytest.raises(ExerciseError, match="too large") as raised:
        checks.check_perplexity_from_loss(lambda loss, w: 1.01 * _perplexity_from_loss(loss, w))
    assert "expected" not in str(raised.value)
    rng = np.random.default_rng(11)                     # the check's first random case
    lengths = rng.integers(1, 13, size=40)
    weights = (np.arange(12)[None, :] < lengths[:, None]).astype("float32")
    assert f"{_perplexity_from_loss(1.3, weights):.4g}" not in str(raised.value)
    with pytest.raises(ExerciseError, match="too small"):
        checks.check_perplexity_from_loss(lambda loss, w: 0.99 * _perplexity_from_loss(loss, w))


def test_check_perplexity_from_loss_compares_with_the_notebooks_probabilities():
    weights = np.ones((2, 3))
    with pytest.raises(ExerciseError, match="probabilities give"):
        checks.check_perplexity_from_loss(_perplexity_from_loss, 0.5, weights, 99.0)


# ----------------------------------------------------------------- exercise 2: ln P(name)
def _scores(step, name, reset=False, first=False):
    """The per-step (logits, inputs, targets) a learner's loop over `name` meets."""
    inputs = lm.encode(name if first else lm.END + name)
    targets = lm.encode((name[1:] if first else name) + lm.END)
    state, rows = None, []
    for token in inputs:
        logits, state = step(np.array([token], dtype="int32"), None if reset else state)
        rows.append(np.asarray(logits, dtype=float)[0])
    return np.array(rows), inputs, targets


def _name_log_probability(step, name):
    """The worked solution: the chain rule, the end marker read first, the state carried."""
    tokens, total, state = lm.encode(lm.END + name), 0.0, None
    for token, following in zip(tokens, lm.encode(name + lm.END)):
        logits, state = step(np.array([token], dtype="int32"), state)
        total += float(np.log(lm.temperature_probabilities(logits, 1.0)[0, following]))
    return total


def _slip(reset=False, first=False, end=True, read=False, raw=False, transform=None):
    def answer(step, name):
        logits, inputs, targets = _scores(step, name, reset, first)
        picked = np.arange(len(targets)), (inputs if read else targets)
        values = (logits if raw else lm.log_softmax(logits))[picked]
        value = float(values.sum() if end else values[:-1].sum())
        return transform(value, len(targets)) if transform else value
    return answer


def test_check_name_log_probability_passes_the_worked_solution(capsys):
    keras_model = _language_model(GRUCell(6), seed=1)
    checks.check_name_log_probability(_name_log_probability, lm.keras_step(keras_model))
    assert capsys.readouterr().out.startswith("PASS name_log_probability: the chain rule")


def test_the_worked_solution_is_the_models_cross_entropy_on_the_whole_name():
    model = _language_model(GRUCell(6), seed=1)
    inputs, targets, weights = lm.name_pairs(["emma"])
    logits = keras.ops.convert_to_numpy(model(inputs))
    assert _name_log_probability(lm.keras_step(model), "emma") == pytest.approx(
        -5 * lm.cross_entropy(logits, targets, weights), abs=1e-4)


@pytest.mark.parametrize("wrong, hint", [
    (_slip(end=False), "ends with P\\(end"),
    (_slip(first=True), "the first letter has a probability too"),
    (_slip(reset=True), "the state is what carries them"),
    (_slip(read=True), "NEXT character"),
    (_slip(raw=True), "logits are scores"),
    (_slip(transform=lambda value, k: np.exp(value)), "P\\(name\\) itself"),
    (_slip(transform=lambda value, k: value / np.log(2)), "in bits"),
    (_slip(transform=lambda value, k: value / k), "mean log-probability per character"),
    (_slip(transform=lambda value, k: -value), "sign is flipped"),
    (_slip(transform=lambda value, k: value + 0.5), "factor by factor"),
    (_slip(transform=lambda value, k: [value, value]), "not one number"),
    (lambda step, name: float(np.log(-1.0)), "nan"),
    (lambda step, name: step(lm.encode(name)[0], None)[0][0, 0], "works on a batch"),
    (_stub, "not written yet"),
])
def test_check_name_log_probability_names_the_slip(wrong, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_name_log_probability(wrong)


def test_check_name_log_probability_says_which_way_but_not_the_right_number():
    with pytest.raises(ExerciseError, match="too large") as raised:
        checks.check_name_log_probability(_slip(transform=lambda value, k: value + 0.5))
    assert "expected" not in str(raised.value)
    right = _name_log_probability(checks._toy_step(17), "mary")
    assert f"{right:.4f}" not in str(raised.value)
    with pytest.raises(ExerciseError, match="too small"):
        checks.check_name_log_probability(_slip(transform=lambda value, k: value - 0.5))


def test_check_name_log_probability_compares_on_the_notebooks_model():
    notebook_step = lm.keras_step(_language_model(GRUCell(6), seed=1))

    def answer(step, name):                      # right, except that it resets the GRU's state
        return _slip(reset=True)(step, name) if step is notebook_step else _name_log_probability(step, name)

    with pytest.raises(ExerciseError, match="under the notebook's model(.|\n)*the state is what carries"):
        checks.check_name_log_probability(answer, notebook_step)


# ----------------------------------------------------------------- exercise 3: the reset, predicted
def test_measured_reset_effect_thresholds():
    assert checks.measured_reset_effect(15.0, 10.7) == "worse"
    assert checks.measured_reset_effect(10.0, 10.7) == "about the same"
    assert checks.measured_reset_effect(8.0, 10.7) == "better"


def test_check_reset_prediction_accepts_the_measured_answer(capsys):
    checks.check_reset_prediction(lambda: " Worse ", 14.97, 10.71)
    assert "worse than the bigram model's" in capsys.readouterr().out


@pytest.mark.parametrize("answer, hint", [
    ("better", "no more to go on"),
    ("about the same", "was not trained"),
    ("the same", "is not one of"),
    (None, "your answer is None"),
])
def test_check_reset_prediction_explains_a_wrong_prediction(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checks.check_reset_prediction(lambda: answer, 14.97, 10.71)


def test_check_reset_prediction_follows_the_measurement_not_a_fixed_answer():
    with pytest.raises(ExerciseError, match="about the same"):
        checks.check_reset_prediction(lambda: "worse", 10.9, 10.71)
    with pytest.raises(ExerciseError, match="not written yet"):
        checks.check_reset_prediction(_stub, 14.97, 10.71)


# ----------------------------------------------------------------- exercise 4: a model without memory
@pytest.fixture(scope="module")
def bigram_case():
    """Names, the bigram table counted from the first 300 of them, and validation pairs from
    the next 100, with the bigram model's validation perplexity."""
    names = load_first_names()[::10]
    train, val = lm.name_pairs(names[:300], length=12), lm.name_pairs(names[300:400], length=12)
    counts = np.ones((V, V))
    real = train[2] > 0
    np.add.at(counts, (train[0][real], train[1][real]), 1)
    table = counts / counts.sum(axis=1, keepdims=True)
    val_real = val[2] > 0
    bigram_perplexity = float(np.exp(-np.mean(np.log(table[val[0][val_real], val[1][val_real]]))))
    return table, val, bigram_perplexity


def _table_model(activation=None, outputs=V):
    """Embedding(27, 27) -> Dense: with the embedding set to the log bigram table and an
    identity Dense, its logits are the bigram model's."""
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(V, V),
                             keras.layers.Dense(outputs, activation=activation)])


def _fit_to_table(table):
    def fit(build):
        model = build()
        if len(model.layers) == 2 and model.layers[1].get_weights()[0].shape == (V, V):
            model.layers[0].set_weights([np.log(table)])
            model.layers[1].set_weights([np.eye(V), np.zeros(V)])
        return model
    return fit


def test_check_memoryless_model_passes_a_model_that_reads_one_character(bigram_case, capsys):
    table, val, bigram_perplexity = bigram_case
    checks.check_memoryless_model(_table_model, _fit_to_table(table), val, bigram_perplexity)
    assert capsys.readouterr().out.startswith("PASS build_memoryless_model: no memory, no look ahead")


def _with_gru():
    return _language_model(GRUCell(4))


def _pooled():
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(V, 4),
                             keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(V)])


def _reads_ahead(bidirectional=False):
    """Step t reads the character at t + 1, its own target: Conv1D(kernel 2, "same"), or a
    Bidirectional GRU."""
    middle = (keras.layers.Bidirectional(keras.layers.GRU(4, return_sequences=True)) if bidirectional
              else keras.layers.Conv1D(8, 2, padding="same", activation="tanh"))
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(V, 4),
                             middle, keras.layers.Dense(V)])


def _copies_the_next_character():
    """Logits 30 at the character after the current one (a Conv1D whose kernel picks the next
    step's one-hot embedding): the answer, read from the input."""
    model = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(V, V),
                              keras.layers.Conv1D(V, 2, padding="same"), keras.layers.Dense(V)])
    model.layers[0].set_weights([np.eye(V)])
    model.layers[1].set_weights([np.stack([np.zeros((V, V)), 30 * np.eye(V)]), np.zeros(V)])
    model.layers[2].set_weights([np.eye(V), np.zeros(V)])
    return model


def test_the_one_character_floor_is_the_bigram_counted_on_the_pairs_themselves(bigram_case):
    _table, (inputs, targets, weights), bigram_perplexity = bigram_case
    floor = checks.one_character_floor(inputs, targets, weights)
    assert floor < bigram_perplexity
    real = weights > 0
    for seed in range(3):                        # no other one-character table does better on these pairs
        table = np.random.default_rng(seed).random((V, V)) + 0.1
        table /= table.sum(axis=1, keepdims=True)
        assert np.exp(-np.mean(np.log(table[inputs[real], targets[real]]))) > floor


def test_check_memoryless_model_refuses_a_trained_model_below_the_floor(bigram_case):
    table, val, bigram_perplexity = bigram_case
    cheating_fit = lambda build: (build(), _copies_the_next_character())[1]   # noqa: E731
    with pytest.raises(ExerciseError, match="below .*the lowest any model that reads one character"):
        checks.check_memoryless_model(_table_model, cheating_fit, val, bigram_perplexity)


@pytest.mark.parametrize("build, hint", [
    (_with_gru, "still has a memory"),
    (lambda: _table_model(activation="softmax"), "ends with a softmax"),
    (lambda: _table_model(outputs=V - 1), "the end marker included"),
    (_pooled, "one prediction per name is not enough"),
    (lambda: _reads_ahead(), "reads ahead"),
    (lambda: _reads_ahead(bidirectional=True), "reads ahead"),
    (lambda: "model", "expected a Keras model"),
    (lambda: keras.Sequential([keras.Input(shape=(None, 3)), keras.layers.Dense(V)]), "token ids"),
    (_stub, "not written yet"),
])
def test_check_memoryless_model_names_the_slip(bigram_case, build, hint):
    table, val, bigram_perplexity = bigram_case
    with pytest.raises(ExerciseError, match=hint):
        checks.check_memoryless_model(build, _fit_to_table(table), val, bigram_perplexity)


def test_check_memoryless_model_fails_a_model_that_does_not_learn_the_bigram(bigram_case):
    table, val, bigram_perplexity = bigram_case
    untrained = lambda build: build()                            # noqa: E731  (a fit that learns nothing)
    with pytest.raises(ExerciseError, match="after training its validation perplexity"):
        checks.check_memoryless_model(_table_model, untrained, val, bigram_perplexity)

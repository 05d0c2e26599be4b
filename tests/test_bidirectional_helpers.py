"""The helpers of 04_bidirectional: tagging and forecasting data and the figures (the
exercise checks are tested in test_bidirectional_exercises.py)."""

from gru_keras.notebook import quiet_tensorflow

quiet_tensorflow()

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gru_keras import data, plots  # noqa: E402


# -- data --------------------------------------------------------------------------
def test_tagging_data_shapes_padding_and_determinism():
    d = data.ambiguous_tagging(200, min_length=5, max_length=9, seed=3)
    assert d["tokens"].shape == d["tags"].shape == d["ambiguous"].shape == (200, 9)
    assert d["lengths"].min() >= 5 and d["lengths"].max() <= 9
    real = np.arange(9)[None, :] < d["lengths"][:, None]
    assert np.all((d["tokens"] != 0) == real)
    assert np.all(d["tags"][~real] == 0)
    assert np.all(d["ambiguous"].sum(axis=1) == 1)
    again = data.ambiguous_tagging(200, min_length=5, max_length=9, seed=3)
    assert all(np.array_equal(d[k], again[k]) for k in d)
    assert not np.array_equal(d["tokens"], data.ambiguous_tagging(200, 5, 9, seed=4)["tokens"])


def test_ambiguous_tag_is_decided_by_a_later_word_only():
    d = data.ambiguous_tagging(500, max_gap=3, seed=1)
    vocab = data.TAGGING_VOCABULARY
    surnames = {vocab.index("roosevelt"), vocab.index("smith")}
    things = {vocab.index("bears"), vocab.index("shoes")}
    person_share = []
    for tokens, tags, amb in zip(d["tokens"], d["tags"], d["ambiguous"]):
        t = int(np.flatnonzero(amb)[0])
        assert data.TAGGING_VOCABULARY[tokens[t]] in ("teddy", "jordan")
        later = [w for w in tokens[t + 1:t + 4] if w in surnames | things]
        assert len(later) == 1 and tags[t] == (later[0] in surnames)
        assert not (set(tokens[:t]) & (surnames | things))   # nothing earlier tells
        person_share.append(tags[t])
    assert 0.4 < np.mean(person_share) < 0.6


def test_tagging_words_decodes_and_refuses_bad_input():
    d = data.ambiguous_tagging(1, seed=0)
    words = data.tagging_words(d["tokens"][0])
    assert len(words) == d["lengths"][0] and "<pad>" not in words
    with pytest.raises(ValueError, match="tokens"):
        data.tagging_words(d["tokens"])
    with pytest.raises(ValueError, match="tokens"):
        data.tagging_words(np.array([1, 99]))


@pytest.mark.parametrize("kwargs, name", [({"n_sentences": 0}, "n_sentences"),
                                          ({"n_sentences": 5, "min_length": 2}, "min_length"),
                                          ({"n_sentences": 5, "max_length": 4}, "max_length"),
                                          ({"n_sentences": 5, "max_gap": 1.5}, "max_gap")])
def test_tagging_data_refuses_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        data.ambiguous_tagging(**kwargs)


def test_next_step_series_targets_are_inputs_moved_one_step():
    x, y = data.next_step_series(10, 30, noise=0.1, seed=2)
    assert x.shape == y.shape == (10, 30, 1) and x.dtype == np.float32
    assert np.array_equal(x[:, 1:], y[:, :-1])
    assert np.array_equal(x, data.next_step_series(10, 30, noise=0.1, seed=2)[0])
    assert np.abs(x).max() < 2.0


@pytest.mark.parametrize("kwargs, name", [({"n_series": -1, "length": 5}, "n_series"),
                                          ({"n_series": 2, "length": 0}, "length"),
                                          ({"n_series": 2, "length": 5, "noise": -0.1}, "noise")])
def test_next_step_series_refuses_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        data.next_step_series(**kwargs)


# -- figures -----------------------------------------------------------------------
def test_figures_are_drawn_and_labelled():
    fig = plots.draw_bidirectional_rnn(["a", "b", "c"])
    assert "bidirectional" in fig.axes[0].get_title()
    result = {"ambiguous_accuracy": 0.5, "other_accuracy": 1.0}
    fig = plots.plot_tagging_accuracy({"forward": result, "bidirectional": result})
    assert fig.axes[0].get_ylabel() and fig.axes[0].get_legend() is not None
    fig = plots.plot_forecasts(np.zeros(10), {"live": {"model": np.ones(10)}}, first_step=2)
    assert fig.axes[0].get_title() == "live"
    plt.close("all")


def test_tagging_plot_draws_chance_only_under_the_ambiguous_bars():
    results = {"forward": {"ambiguous_accuracy": 0.5, "other_accuracy": 0.99},
               "bidirectional": {"ambiguous_accuracy": 1.0, "other_accuracy": 1.0}}
    ax = plots.plot_tagging_accuracy(results, chance=0.5).axes[0]
    bars = ax.patches                                      # ambiguous bars first, then the others
    assert [bar.get_height() for bar in bars] == [0.5, 1.0, 0.99, 1.0]
    (chance_lines,) = ax.collections                       # the short dashed segments
    segments = chance_lines.get_segments()
    assert len(segments) == 2 and all(np.allclose(seg[:, 1], 0.5) for seg in segments)
    for seg, ambiguous, other in zip(segments, bars[:2], bars[2:]):
        left, right = seg[:, 0].min(), seg[:, 0].max()
        assert left <= ambiguous.get_x() and right >= ambiguous.get_x() + ambiguous.get_width()
        assert right <= other.get_x()                     # it stops before the other words' bar
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "chance on the ambiguous words" in legend
    assert "ambiguous words vs all other words" in ax.get_title()
    plt.close("all")


def test_bidirectional_figures_concatenate_with_a_comma():
    import re

    for fig in (plots.draw_bidirectional_rnn(["a", "b"]), plots.draw_stacked_rnn(bidirectional=True)):
        texts = _texts(fig) + [fig.axes[0].get_title()]
        pairs = [p for t in texts for p in re.findall(r"\[\\overrightarrow[^\]]*\]", t)]
        assert len(pairs) > 2                     # a merge box per step, and the title
        assert all(", \\overleftarrow{h}_" in p and ";" not in p for p in pairs), pairs
    plt.close("all")


def test_figures_refuse_bad_input():
    with pytest.raises(TypeError, match="words"):
        plots.draw_bidirectional_rnn("abc")
    with pytest.raises(ValueError, match="words"):
        plots.draw_bidirectional_rnn(["w"] * 7)
    with pytest.raises(ValueError, match="results"):
        plots.plot_tagging_accuracy({})
    with pytest.raises(ValueError, match="shape"):
        plots.plot_forecasts(np.zeros(10), {"p": {"m": np.zeros(9)}})
    plt.close("all")


def _texts(fig):
    return [text.get_text() for text in fig.axes[0].texts]


@pytest.mark.parametrize("layers, words, bidirectional, boxes_per_step", [
    (2, ("x1", "x2", "x3", "x4"), False, 1), (3, ["She", "bought"], False, 1),
    (2, ["She", "bought", "Jordan"], True, 3), (1, ["x1"], True, 3)])
def test_stacked_rnn_draws_one_cell_per_layer_and_step(layers, words, bidirectional, boxes_per_step):
    from matplotlib.patches import FancyBboxPatch

    fig = plots.draw_stacked_rnn(layers=layers, words=words, bidirectional=bidirectional)
    ax = fig.axes[0]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    # a cell per layer and step; bidirectional: forward, backward and the merge box
    assert len(boxes) == boxes_per_step * layers * len(words)
    texts = _texts(fig)
    assert [t for t in texts if t.startswith("layer ")] == [f"layer {k}" for k in range(1, layers + 1)]
    assert sum(t.startswith(r"$\hat y_") for t in texts) == len(words)
    assert ("bidirectional" in ax.get_title()) == bidirectional and "stacked" in ax.get_title()
    if bidirectional:
        assert sum(r"\overrightarrow" in t and "]^{(" in t for t in texts) == layers * len(words)
        # each direction of each layer starts from its own zero state, labelled with the layer
        for layer in range(1, layers + 1):
            assert rf"$\overrightarrow{{h}}^{{({layer})}}_0 = 0$" in texts
            assert rf"$\overleftarrow{{h}}^{{({layer})}}_{{{len(words) + 1}}} = 0$" in texts
        assert "merged states of the layer below" in ax.get_title()
    else:   # the state passed up from layer l-1 to layer l is labelled h^(l-1)_t
        assert sum(t.startswith("$h^{(") and "_{" in t and "= 0" not in t for t in texts) \
            == (layers - 1) * len(words) + layers   # plus the last state of each layer
    plt.close("all")


def test_stacked_rnn_inputs_cell_name_and_single_output():
    fig = plots.draw_stacked_rnn(words=["x1", "x_2"], cell="LSTM", return_sequences=False)
    texts = _texts(fig)
    assert "$x_{1}$" in texts and "$x_{2}$" in texts      # symbols, not quoted words
    assert texts.count("LSTM") == 2 * 2 and "2 LSTM layers" in fig.axes[0].get_title()
    assert [t for t in texts if t.startswith(r"$\hat y")] == [r"$\hat y$"]
    fig = plots.draw_stacked_rnn(words=["Jordan"])
    assert "\u201cJordan\u201d" in _texts(fig) and "$x_{1}$" in _texts(fig)
    _, ax = plt.subplots()
    assert plots.draw_stacked_rnn(ax=ax) is ax.figure
    plt.close("all")


@pytest.mark.parametrize("kwargs, error, name", [
    ({"layers": 0}, ValueError, "layers"), ({"layers": 5}, ValueError, "layers"),
    ({"layers": True}, TypeError, "layers"), ({"layers": 2.0}, TypeError, "layers"),
    ({"words": "x1 x2"}, TypeError, "words"), ({"words": []}, ValueError, "words"),
    ({"words": ["w"] * 7}, ValueError, "words"), ({"words": ["a", 2]}, ValueError, "words"),
    ({"bidirectional": "yes"}, TypeError, "bidirectional"),
    ({"return_sequences": 1}, TypeError, "return_sequences"), ({"cell": ""}, ValueError, "cell"),
])
def test_stacked_rnn_refuses_bad_arguments(kwargs, error, name):
    with pytest.raises(error, match=f"draw_stacked_rnn: `{name}`"):
        plots.draw_stacked_rnn(**kwargs)
    plt.close("all")

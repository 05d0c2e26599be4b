"""Figures of the course, drawn with matplotlib: cell diagrams labelled with the
equations' symbols, and the plots of the experiments. Each function draws on a new
figure (or the `ax` it is given), sets title, axis labels and legend, and returns the
figure; the notebook ends its cell with `plt.show()`.
"""

import functools

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["plot_accuracy_bars", "plot_time_split", "plot_forecasts_vs_truth", "plot_validation_curve", "plot_review_accuracy", "plot_gradient_norms", "draw_bidirectional_rnn", "draw_stacked_rnn", "plot_tagging_accuracy", "plot_forecasts", "draw_lstm_cell", "plot_cell_and_hidden_states", "plot_training_losses", "draw_elman_cell", "draw_unrolled_rnn", "plot_squashing", "plot_state_and_gradient_norms", "draw_gru_cell", "plot_accuracy_by_length", "plot_gate_over_tokens"]


def _axes(ax, figsize=None):
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax

# ---------------------------------------------------------------------------------
# Drawing primitives of the cell diagrams (boxes for layers, circles for operations)
# ---------------------------------------------------------------------------------
def _box(ax, x, y, text, color="#fde9b8", width=0.8, height=0.55, fontsize=12, rounded=False):
    """A labelled box centred on (x, y): a layer or a gate."""
    from matplotlib.patches import FancyBboxPatch

    style = "round,pad=0.05" if rounded else "square,pad=0"
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle=style,
                                facecolor=color, edgecolor="black", linewidth=1.2, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=4)


def _diagram_box_small(ax, x, y, text, color, width=0.9, height=0.55, fontsize=10):
    """A box with a smaller label, for diagrams with many boxes."""
    _box(ax, x, y, text, color, width=width, height=height, fontsize=fontsize)


def _node(ax, x, y, text, color="#d7e8fa"):
    """A labelled circle centred on (x, y): an element-wise operation such as + or ⊙."""
    ax.add_patch(plt.Circle((x, y), 0.27, facecolor=color, edgecolor="black", linewidth=1.2, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=12, zorder=4)


def _arrow(ax, start, end, color="black", width=1.3, shrink=12, style="-|>"):
    """An arrow from start to end; `shrink` stops it short of a box or circle at `end`."""
    ax.annotate("", xy=end, xytext=start, zorder=2,
                arrowprops=dict(arrowstyle=style, color=color, linewidth=width, shrinkA=0, shrinkB=shrink))


def _thin_arrow(ax, start, end, color="black"):
    """A light arrow ending exactly at `end`, for dense diagrams."""
    _arrow(ax, start, end, color, width=1.2, shrink=0, style="->")


def _line(ax, points, color="black", width=1.3):
    """A polyline through `points`, under the boxes: a wire that splits or bends."""
    xs, ys = zip(*points)
    ax.plot(xs, ys, color=color, linewidth=width, zorder=1, solid_capstyle="round")


def plot_gradient_norms(norms_by_model, ax=None, title="How far back does the gradient reach?"):
    """Plots ||∂h_T/∂x_{T-k}|| against k on a log scale, one line per model.

    norms_by_model: {label: array of norms indexed by distance k}, as returned by
    `gru_keras.experiments.gradient_norms_by_distance`.
    """
    fig, ax = _axes(ax)
    for label, norms in norms_by_model.items():
        norms = np.asarray(norms)
        ax.semilogy(np.arange(len(norms)), norms, label=label)
    ax.set_xlabel("distance k (steps back from the last input)")
    ax.set_ylabel(r"$\|\partial h_T / \partial x_{T-k}\|$")
    ax.set_title(title)
    ax.legend()
    return fig


# --- 01_rnn ----------------------------------------------------------------------
def draw_elman_cell(ax=None):
    """Draws one Elman step, h_t = tanh(x_t W + h_{t-1} U + b): h_{t-1} comes in from
    the left through U, x_t from below through W, the bias b is added, tanh squashes
    the sum into h_t, which leaves to the right (the next step) and up (the output
    y_t = h_t V + b_y).
    """
    fig, ax = _axes(ax, figsize=(6.5, 3.8))
    # Inputs and their weights.
    ax.text(0.2, 2.0, r"$h_{t-1}$", fontsize=13, va="center")
    _arrow(ax, (1.0, 2.0), (2.2, 2.0))
    _box(ax, 2.2, 2.0, r"$U$", width=0.6, height=0.5, color="#d7e8fa")
    ax.text(3.6, 0.0, r"$x_t$", fontsize=13, ha="center", va="center")
    _arrow(ax, (3.6, 0.25), (3.6, 0.9))
    _box(ax, 3.6, 0.9, r"$W$", width=0.6, height=0.5, color="#d7e8fa")
    # Sum, bias, squashing.
    _line(ax, [(2.5, 2.0), (3.3, 2.0)])
    _arrow(ax, (2.5, 2.0), (3.6, 2.0))
    _arrow(ax, (3.6, 1.15), (3.6, 2.0))
    _node(ax, 3.6, 2.0, r"$+$")
    ax.text(3.6, 3.0, r"$b$", fontsize=13, ha="center", va="center")
    _arrow(ax, (3.6, 2.8), (3.6, 2.0))
    _arrow(ax, (3.87, 2.0), (5.2, 2.0))
    _box(ax, 5.2, 2.0, r"$\tanh$", color="#fde9b8")
    # The new state: to the next step and to the output layer.
    _line(ax, [(5.6, 2.0), (6.6, 2.0)])
    _arrow(ax, (6.6, 2.0), (7.9, 2.0))
    ax.text(8.0, 2.0, r"$h_t$", fontsize=13, va="center")
    _arrow(ax, (6.6, 2.0), (6.6, 3.2))
    _box(ax, 6.6, 3.2, r"$V,\ b_y$", width=0.9, height=0.5, color="#e3f1d9")
    ax.text(6.6, 3.85, r"$y_t = h_t V + b_y$", fontsize=11, ha="center")
    ax.text(4.1, 1.45, r"tanh of $x_t W + h_{t-1} U + b$", fontsize=9, ha="left", va="top")
    ax.set_xlim(0, 8.8)
    ax.set_ylim(-0.4, 4.3)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(r"One Elman step: $h_t = \tanh(x_t W + h_{t-1} U + b)$")
    return fig


def draw_unrolled_rnn(words, ax=None, first_step=1):
    """Draws the Elman RNN unrolled over a few words: the same cell (the same W, U, b)
    at every step, each word's vector x_t entering from below and the state h_t
    carried to the right. `words` is a short list of strings (1 to 8 of them).

    first_step: the step t of the first word drawn. 1 (the default) draws the start of
    the sequence, where h_0 = 0; a larger value draws a window further in, whose
    incoming state h_{first_step - 1} carries the words before it."""
    if isinstance(words, str) or not isinstance(words, (list, tuple)):
        raise TypeError(f"draw_unrolled_rnn: `words` must be a list of strings, got {type(words).__name__}.")
    if not 1 <= len(words) <= 8 or not all(isinstance(w, str) for w in words):
        raise ValueError(f"draw_unrolled_rnn: `words` must hold 1 to 8 strings, got {words!r}.")
    if isinstance(first_step, bool) or not isinstance(first_step, (int, np.integer)) or first_step < 1:
        raise ValueError(f"draw_unrolled_rnn: `first_step` must be an integer of at least 1 "
                         f"(the step of the first word drawn), got {first_step!r}.")
    fig, ax = _axes(ax, figsize=(1.8 * len(words) + 1.6, 3.2))
    # Only the start of a sequence has h_0 = 0; a later window receives the earlier words' state.
    ax.text(0.1, 2.0, r"$h_0 = 0$" if first_step == 1 else r"$\cdots$", fontsize=11, va="center")
    for t, word in enumerate(words, start=first_step):
        x = 1.8 * (t - first_step + 1)
        _arrow(ax, (x - 1.1, 2.0), (x - 0.45, 2.0))
        ax.text(x - 0.9, 2.15, rf"$h_{{{t - 1}}}$", fontsize=10, ha="center")
        _box(ax, x, 2.0, r"$\tanh$", width=0.9, height=0.6)
        ax.text(x, 0.05, f"\u201c{word}\u201d", fontsize=10, ha="center", va="center")
        _arrow(ax, (x, 0.3), (x, 1.7))
        ax.text(x + 0.08, 0.95, rf"$x_{{{t}}}$", fontsize=10, ha="left")
    last = 1.8 * len(words)
    _arrow(ax, (last + 0.45, 2.0), (last + 1.3, 2.0))
    ax.text(last + 0.9, 2.15, rf"$h_{{{first_step + len(words) - 1}}}$", fontsize=10, ha="center")
    ax.set_xlim(0, last + 1.5)
    ax.set_ylim(-0.3, 2.9)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("The same cell (same W, U, b) at every step; h carries the memory")
    return fig


def plot_squashing(steps, linear, squashed, factor):
    """Two curves over the steps of a repeated update: `linear` (h <- factor * h) on
    a log scale, which explodes, and `squashed` (h <- tanh(factor * h)), which stays
    in (-1, 1). Draws side by side on a new figure; returns it."""
    steps, linear, squashed = (np.asarray(a, dtype=float) for a in (steps, linear, squashed))
    if not (steps.ndim == linear.ndim == squashed.ndim == 1) or not (len(steps) == len(linear) == len(squashed)):
        raise ValueError("plot_squashing: `steps`, `linear` and `squashed` must be 1-D arrays of the same length.")
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.0, 3.2))
    left.semilogy(steps, np.abs(linear), marker="o", color="tab:red", label=rf"$h \leftarrow {factor:g}\,h$")
    left.set_title("Without squashing: it explodes")
    left.set_ylabel("|h| (log scale)")
    right.plot(steps, squashed, marker="o", color="tab:blue", label=rf"$h \leftarrow \tanh({factor:g}\,h)$")
    right.axhline(1.0, color="gray", linestyle="--", label="tanh's bounds ±1")
    right.axhline(-1.0, color="gray", linestyle="--")
    right.set_ylim(-1.2, 1.2)
    right.set_title("With tanh: it stays in (-1, 1)")
    right.set_ylabel("h")
    for ax_ in (left, right):
        ax_.set_xlabel("step")
        ax_.legend(loc="center right")
    fig.tight_layout()
    return fig


# --- 02_lstm ---------------------------------------------------------------------
def draw_lstm_cell(ax=None):
    """Draws one LSTM step with the symbols of the equations: the cell state c runs
    along the top (the conveyor belt), [h_{t-1}, x_t] feeds the four gate layers
    f_t, i_t, c̃_t, o_t, and h_t leaves at the bottom right.
    """
    fig, ax = _axes(ax, figsize=(7.5, 4.4))
    belt, bus = 5.0, 1.3
    # The conveyor belt: c_{t-1} -> × f_t -> + i_t ⊙ c̃_t -> c_t.
    _line(ax, [(0.4, belt), (9.6, belt)], color="#b5651d", width=3)
    _arrow(ax, (9.0, belt), (9.8, belt), color="#b5651d", width=3)
    ax.text(0.3, belt + 0.3, r"$c_{t-1}$", fontsize=12, ha="left")
    ax.text(9.7, belt + 0.3, r"$c_t$", fontsize=12, ha="right")
    # The input: h_{t-1} from the left and x_t from below meet on the bus.
    ax.text(0.3, bus + 0.25, r"$h_{t-1}$", fontsize=12, ha="left")
    ax.text(1.25, 0.05, r"$x_t$", fontsize=12, ha="right")
    _line(ax, [(0.4, bus), (7.0, bus)])
    _line(ax, [(1.5, 0.0), (1.5, bus)])
    ax.text(1.65, bus - 0.35, r"$[h_{t-1},\ x_t]$", fontsize=10)
    gates = [(2.5, r"$\sigma$", r"$f_t$"), (3.8, r"$\sigma$", r"$i_t$"),
             (5.0, r"$\tanh$", r"$\tilde c_t$"), (6.6, r"$\sigma$", r"$o_t$")]
    for x, text, label in gates:
        _line(ax, [(x, bus), (x, 2.2)])
        _box(ax, x, 2.5, text)
        ax.text(x + 0.45, 3.0, label, fontsize=12)
    # Forget: f_t scales the belt.
    _arrow(ax, (2.5, 2.8), (2.5, belt))
    _node(ax, 2.5, belt, r"$\times$")
    # Write: i_t ⊙ c̃_t is added to the belt.
    _line(ax, [(3.8, 2.8), (3.8, 3.8), (4.4, 3.8)])
    _line(ax, [(5.0, 2.8), (5.0, 3.8), (4.4, 3.8)])
    _node(ax, 4.4, 3.8, r"$\times$")
    _arrow(ax, (4.4, 3.8), (4.4, belt))
    _node(ax, 4.4, belt, r"$+$")
    # Read: h_t = o_t ⊙ tanh(c_t).
    _arrow(ax, (7.8, belt), (7.8, 3.8))
    _box(ax, 7.8, 3.8, r"$\tanh$", width=0.8, height=0.45, color="#e3f1d9")
    _line(ax, [(6.6, 2.8), (6.6, 2.5), (7.8, 2.5)])
    _line(ax, [(7.8, 3.55), (7.8, 2.5)])
    _node(ax, 7.8, 2.5, r"$\times$")
    _line(ax, [(7.8, 2.5), (7.8, 1.0), (9.0, 1.0)])
    _arrow(ax, (8.8, 1.0), (9.8, 1.0))
    ax.text(9.7, 1.25, r"$h_t$", fontsize=12, ha="right")
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.2, 5.8)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("One LSTM step: the cell state c runs along the top, h along the bottom")
    return fig


def plot_cell_and_hidden_states(c, h, marks=(), units=None, title=None):
    """Plots the cell state c_t (top) and hidden state h_t (bottom) of a few units over
    one sequence, with vertical lines at the steps in `marks`.

    c, h: arrays of shape (time, units) for one sequence, e.g. the "c" entry of
    `reference.lstm_forward(..., return_gates=True)` and its outputs, for one sample.
    units: indices of the units to draw (default: the first four).
    """
    c, h = np.asarray(c), np.asarray(h)
    if c.ndim != 2 or c.shape != h.shape:
        raise ValueError(
            f"plot_cell_and_hidden_states: c and h must both have shape (time, units); "
            f"got {c.shape} and {h.shape}."
        )
    units = list(range(min(4, c.shape[1]))) if units is None else list(units)
    fig, axes = plt.subplots(2, 1, figsize=(7.0, 4.6), sharex=True)
    steps = np.arange(1, c.shape[0] + 1)
    for ax, values, name in [(axes[0], c, "c_t"), (axes[1], h, "h_t")]:
        for k in units:
            ax.plot(steps, values[:, k], label=f"unit {k}")
        for step in marks:
            ax.axvline(step + 1, color="gray", linestyle="--", linewidth=1)
        ax.set_ylabel(f"${name}$")
    axes[0].set_title(title or "Cell state (top) and hidden state (bottom) over one sequence")
    axes[0].legend(ncol=len(units), fontsize=8, loc="upper left")
    axes[1].set_xlabel("time step t (dashed: marked steps)")
    fig.tight_layout()
    return fig


def plot_training_losses(losses_by_label, baseline=None, ax=None, title="Training loss per epoch"):
    """Plots a loss curve per model, {label: list of per-epoch losses}, with an
    optional horizontal `baseline` (for the adding problem: 1/6, predicting the mean)."""
    if not losses_by_label:
        raise ValueError("plot_training_losses: losses_by_label is empty.")
    fig, ax = _axes(ax)
    for label, losses in losses_by_label.items():
        ax.semilogy(np.arange(1, len(losses) + 1), losses, marker="o", label=label)
    if baseline is not None:
        ax.axhline(baseline, color="gray", linestyle="--", label=f"baseline {baseline:.3f}")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training MSE (log scale)")
    ax.set_title(title)
    ax.legend()
    return fig


def plot_state_and_gradient_norms(state_norms_by_model, gradient_norms_by_model,
                                  title="State size and gradient reach",
                                  gradient_label=r"$\|\partial h_T / \partial x_{T-k}\|$"):
    """Two panels, one line per model, both on a log scale: left, the size of the state
    ||h_t|| against the step t = 1, 2, ...; right, the gradient's norm against the
    distance k, as returned by `gru_keras.experiments.gradient_norms_by_distance`
    (`gradient_label` names it on the axis, e.g. for summed=True).

    Both arguments are {label: 1-D array} with the same labels, in the same order.
    """
    if not state_norms_by_model or list(state_norms_by_model) != list(gradient_norms_by_model):
        raise ValueError("plot_state_and_gradient_norms: the two dicts must be non-empty and have "
                         f"the same labels in the same order, got {list(state_norms_by_model)} "
                         f"and {list(gradient_norms_by_model)}.")
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.6))
    for label, norms in state_norms_by_model.items():
        norms = np.asarray(norms, dtype=float)
        left.semilogy(np.arange(1, len(norms) + 1), norms, label=label)
    left.set_xlabel("step t")
    left.set_ylabel(r"$\|h_t\|$ (log scale)")
    left.set_title("Size of the state")
    left.legend(fontsize=8)
    plot_gradient_norms(gradient_norms_by_model, ax=right, title="Gradient over distance")
    right.set_ylabel(gradient_label)
    right.get_legend().remove()  # the same lines as on the left, in the same colours
    fig.suptitle(title)
    fig.tight_layout()
    return fig


# --- 03_gru ----------------------------------------------------------------------
def draw_gru_cell(highlight=None, simplified=False, reset_after=True, ax=None):
    """Draws one GRU step as boxes and arrows, labelled with the notebook's symbols.

    highlight: None, "z" (the update gate and the paths it controls) or "r" (the reset
    gate and the candidate it feeds); simplified=True draws the GRU without reset gate.
    reset_after: the label of the candidate box names where r acts.
    """
    if highlight not in (None, "z", "r"):
        raise ValueError(f"draw_gru_cell: `highlight` must be None, 'z' or 'r', got {highlight!r}.")
    if simplified and highlight == "r":
        raise ValueError("draw_gru_cell: the simplified GRU has no reset gate to highlight (highlight='r').")
    fig, ax = _axes(ax, figsize=(7.5, 3.8))
    box = functools.partial(_box, height=0.5, fontsize=10, rounded=True)
    arrow = functools.partial(_arrow, width=1.4, shrink=2, style="->")
    hot = {"z": "#ffd27f", "r": "#9fd3ff"}
    zc = hot["z"] if highlight == "z" else "#eeeeee"
    rc = hot["r"] if highlight == "r" else "#eeeeee"
    z_line = "#d08000" if highlight == "z" else "black"
    r_line = "#1f77b4" if highlight == "r" else "black"
    ax.text(0.2, 3.0, r"$h_{t-1}$", fontsize=12, ha="center", va="center")
    ax.text(3.0, -0.5, r"$x_t$", fontsize=12, ha="center", va="center")
    box(ax, 2.0, 1.0, r"$z_t=\sigma(\cdot)$", zc, width=1.3)
    if not simplified:
        box(ax, 3.6, 1.0, r"$r_t=\sigma(\cdot)$", rc, width=1.3)
        where = r"$r_t\odot(h_{t-1}U_h)$" if reset_after else r"$(r_t\odot h_{t-1})U_h$"
        box(ax, 5.5, 1.0, r"$\tilde h_t=\tanh(\cdot)$" + "\n" + where, rc if highlight == "r" else "white",
             width=1.9, height=0.8)
        arrow(ax, (4.25, 1.0), (4.55, 1.0), r_line)
    else:
        box(ax, 5.5, 1.0, r"$\tilde h_t=\tanh(\cdot)$", "white", width=1.7)
    box(ax, 2.0, 3.0, r"$z_t\odot h_{t-1}$", zc, width=1.3)
    box(ax, 5.5, 3.0, r"$(1-z_t)\odot\tilde h_t$", zc, width=1.6)
    box(ax, 7.6, 3.0, "+", "white", width=0.5)
    ax.text(9.0, 3.0, r"$h_t$", fontsize=12, ha="center", va="center")
    arrow(ax, (0.5, 3.0), (1.3, 3.0))
    arrow(ax, (0.5, 2.9), (1.6, 1.3))
    if not simplified:
        arrow(ax, (0.5, 2.85), (3.3, 1.3))
    arrow(ax, (0.5, 2.8), (5.0, 1.45))
    for x_end in ((2.0, 3.6, 5.5) if not simplified else (2.0, 5.5)):
        arrow(ax, (3.0, -0.3), (x_end, 0.7))
    arrow(ax, (2.0, 1.3), (2.0, 2.7), z_line)
    arrow(ax, (2.5, 1.2), (5.2, 2.7), z_line)
    arrow(ax, (5.5, 1.45), (5.5, 2.7))
    # z_t ⊙ h_{t-1} goes over the (1 - z_t) ⊙ h̃_t box into "+" from above, so that it
    # does not look like an input of that box.
    _line(ax, [(2.0, 3.25), (2.0, 3.5), (7.6, 3.5)], width=1.4)
    arrow(ax, (7.6, 3.5), (7.6, 3.25))
    arrow(ax, (6.35, 3.0), (7.3, 3.0))
    arrow(ax, (7.9, 3.0), (8.7, 3.0))
    name = "simplified GRU (no reset gate)" if simplified else "GRU"
    focus = {None: "", "z": ": the update gate z", "r": ": the reset gate r"}[highlight]
    ax.set_title(f"One step of the {name}{focus}")
    ax.set_xlim(-0.2, 9.5)
    ax.set_ylim(-0.9, 3.8)
    ax.axis("off")
    return fig


def plot_accuracy_by_length(accuracy_by_model, chance=0.5, ax=None,
                            title="Agreement across a growing clause"):
    """Accuracy against clause length, one line per model, with the chance level.

    accuracy_by_model: {label: {clause length: accuracy}}.
    """
    fig, ax = _axes(ax)
    for label, accuracy in accuracy_by_model.items():
        lengths = sorted(accuracy)
        ax.plot(lengths, [accuracy[k] for k in lengths], marker="o", label=label)
    ax.axhline(chance, color="gray", linestyle="--", label="chance")
    ax.set_ylim(0.0, 1.05)
    ax.set_xlabel("clause length (words between 'which' and the final comma)")
    ax.set_ylabel("accuracy on was / were")
    ax.set_title(title)
    ax.legend()
    return fig


def plot_gate_over_tokens(tokens, series, title, ylabel, shade=None, ax=None, ylim=(-0.05, 1.05)):
    """Gate values along one sentence: `series` {label: array (time,)}, x ticks are the
    tokens; `shade` (first, last) token positions to shade (a clause, a verdict); `ylim`
    the vertical range (gates live in [0, 1]; pass (-1.05, 1.05) to show states too)."""
    if len(tokens) == 0:
        raise ValueError("plot_gate_over_tokens: `tokens` is empty.")
    if len(ylim) != 2 or not ylim[0] < ylim[1]:
        raise ValueError(f"plot_gate_over_tokens: `ylim` must be (low, high) with low < high, got {ylim!r}.")
    fig, ax = _axes(ax, figsize=(8.0, 3.4))
    positions = np.arange(len(tokens))
    for label, values in series.items():
        values = np.asarray(values)
        if values.shape != (len(tokens),):
            raise ValueError(f"plot_gate_over_tokens: series {label!r} has shape {values.shape}, "
                             f"expected ({len(tokens)},), one value per token.")
        ax.plot(positions, values, marker=".", label=label)
    if shade is not None:
        ax.axvspan(shade[0] - 0.5, shade[1] + 0.5, color="gray", alpha=0.15)
    ax.set_xticks(positions)
    ax.set_xticklabels(tokens, rotation=60, ha="right", fontsize=8)
    ax.set_ylim(*ylim)
    ax.set_xlabel("token")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    return fig



# --- 04_bidirectional ------------------------------------------------------------
_FORWARD_COLOR, _BACKWARD_COLOR, _MERGE_COLOR = "#d7e8fa", "#fde0c8", "#e3f1d9"


def draw_bidirectional_rnn(words=("She", "bought", "Jordan", "shoes"), ax=None):
    """Draws a bidirectional RNN unrolled over `words` (1 to 6 strings): each word's
    vector x_t goes up into a forward cell (state h→_t, carried to the right from
    h→_0 = 0) and into a backward cell (state h←_t, carried to the left from
    h←_{T+1} = 0); the two states are concatenated, [h→_t, h←_t], and the output
    layer turns that into the prediction ŷ_t.
    """
    if isinstance(words, str) or not isinstance(words, (list, tuple)):
        raise TypeError(f"draw_bidirectional_rnn: `words` must be a list of strings, "
                        f"got {type(words).__name__}.")
    if not 1 <= len(words) <= 6 or not all(isinstance(w, str) for w in words):
        raise ValueError(f"draw_bidirectional_rnn: `words` must hold 1 to 6 strings, got {words!r}.")
    T = len(words)
    fig, ax = _axes(ax, figsize=(2.0 * T + 2.4, 5.0))
    y_x, y_f, y_b, y_m, y_o = 0.0, 1.4, 2.8, 4.2, 5.3
    ax.text(0.5, y_f + 0.12, r"$\overrightarrow{h}_0 = 0$", fontsize=10, va="bottom")
    ax.text(2.0 * T + 1.6, y_b + 0.12, rf"$\overleftarrow{{h}}_{{{T + 1}}} = 0$", fontsize=10,
            va="bottom", ha="center")
    for t, word in enumerate(words, start=1):
        x = 2.0 * t
        ax.text(x, y_x - 0.35, f"\u201c{word}\u201d", fontsize=10, ha="center", va="center")
        ax.text(x, y_x + 0.1, rf"$x_{{{t}}}$", fontsize=11, ha="center", va="center")
        _thin_arrow(ax, (x - 0.15, y_x + 0.3), (x - 0.15, y_f - 0.28))
        # x_t also goes round the forward cell into the backward cell
        ax.plot([x + 0.15, x + 0.62, x + 0.62], [y_x + 0.3, y_x + 0.6, y_b - 0.6],
                color="black", linewidth=1.2, zorder=1)
        _thin_arrow(ax, (x + 0.62, y_b - 0.6), (x + 0.3, y_b - 0.28))
        _diagram_box_small(ax, x, y_f, r"GRU$\rightarrow$", _FORWARD_COLOR)
        _diagram_box_small(ax, x, y_b, r"GRU$\leftarrow$", _BACKWARD_COLOR)
        # forward state to the right, backward state to the left
        _thin_arrow(ax, (x - 1.55 + (0.45 if t == 1 else 0), y_f), (x - 0.45, y_f), color="#1f5fa8")
        _thin_arrow(ax, (x + 1.55, y_b), (x + 0.45, y_b), color="#c2571a")
        # both states up to the merge and the output
        # the forward state goes round the backward cell up to the merge
        ax.plot([x - 0.3, x - 0.62, x - 0.62], [y_f + 0.28, y_f + 0.6, y_m - 0.6],
                color="black", linewidth=1.2, zorder=1)
        _thin_arrow(ax, (x - 0.62, y_m - 0.6), (x - 0.3, y_m - 0.28))
        _thin_arrow(ax, (x + 0.15, y_b + 0.28), (x + 0.15, y_m - 0.28))
        _diagram_box_small(ax, x, y_m, rf"$[\overrightarrow{{h}}_{{{t}}}, \overleftarrow{{h}}_{{{t}}}]$",
                _MERGE_COLOR, width=1.3, fontsize=9)
        _thin_arrow(ax, (x, y_m + 0.28), (x, y_o - 0.2))
        ax.text(x, y_o, rf"$\hat y_{{{t}}}$", fontsize=12, ha="center", va="bottom")
    _thin_arrow(ax, (2.0 * T + 0.45, y_f), (2.0 * T + 1.3, y_f), color="#1f5fa8")
    _thin_arrow(ax, (1.55, y_b), (0.7, y_b), color="#c2571a")
    ax.text(0.2, y_m, "merge\n(concat)", fontsize=9, va="center")
    ax.set_xlim(0, 2.0 * T + 2.0)
    ax.set_ylim(-0.7, 5.9)
    ax.axis("off")
    ax.set_title("A bidirectional RNN: one pass left to right, one right to left\n"
                 r"$\hat y_t = \mathrm{softmax}([\overrightarrow{h}_t, \overleftarrow{h}_t]\,V + b_y)$")
    return fig


def _input_label(ax, x, y, t, word):
    """The input at step t under its column: "x1" (or "x_1") is drawn as the symbol
    x_1; any other word in quotes, with the symbol x_t above it."""
    import re

    if re.fullmatch(r"x_?\d+", word):
        ax.text(x, y, rf"$x_{{{word.lstrip('x_')}}}$", fontsize=11, ha="center", va="center")
    else:
        ax.text(x, y - 0.35, f"\u201c{word}\u201d", fontsize=10, ha="center", va="center")
        ax.text(x, y + 0.1, rf"$x_{{{t}}}$", fontsize=11, ha="center", va="center")


def draw_stacked_rnn(layers=2, words=("x1", "x2", "x3", "x4"), bidirectional=False, ax=None,
                     cell="GRU", return_sequences=True):
    """Draws a deep (stacked) RNN unrolled over `words`: `layers` recurrent layers (1 to 4),
    each reading, at every step, the state of the layer below, h_t^(l-1) (the input x_t
    for the first), and carrying its own state h_t^(l) to the next step from h_0^(l) = 0.

    words: 1 to 6 strings; "x1", "x2", ... are drawn as the symbols x_1, x_2, ..., other
    words in quotes. bidirectional=True draws each layer as a forward and a backward row
    (as in `draw_bidirectional_rnn`) whose states are concatenated, [h→_t, h←_t]^(l), and
    passed up; each direction of each layer starts from its own zero state.
    cell: the name written in the boxes ("GRU", "LSTM", "tanh", ...).
    return_sequences: whether the top layer gives an output ŷ_t at every step (True)
    or only its last state goes on to a single output ŷ (False).
    """
    where = "draw_stacked_rnn"
    if isinstance(layers, bool) or not isinstance(layers, (int, np.integer)):
        raise TypeError(f"{where}: `layers` must be an integer, got {type(layers).__name__}.")
    if not 1 <= layers <= 4:
        raise ValueError(f"{where}: `layers` must be between 1 and 4 (the figure gets too tall), got {layers}.")
    if isinstance(words, str) or not isinstance(words, (list, tuple)):
        raise TypeError(f"{where}: `words` must be a list or tuple of strings, got {type(words).__name__}.")
    if not 1 <= len(words) <= 6 or not all(isinstance(w, str) and w for w in words):
        raise ValueError(f"{where}: `words` must hold 1 to 6 non-empty strings, got {words!r}.")
    for name, flag in (("bidirectional", bidirectional), ("return_sequences", return_sequences)):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{where}: `{name}` must be True or False, got {flag!r}.")
    if not isinstance(cell, str) or not cell.strip():
        raise ValueError(f"{where}: `cell` must be a non-empty string such as 'GRU', got {cell!r}.")
    T = len(words)
    rows = 3 if bidirectional else 1                  # forward, backward, merge; or one row
    step = 1.25 if bidirectional else 1.5
    top = step * rows * layers                        # height of the last row of the top layer
    fig, ax = _axes(ax, figsize=(1.3 * T + 3.0, 0.55 * top + 1.7))
    arrow = functools.partial(_thin_arrow)
    for t, word in enumerate(words, start=1):
        _input_label(ax, 2.0 * t, 0.0, t, word)
    for layer in range(1, layers + 1):
        base = step * rows * (layer - 1) + step        # the (first) row of this layer
        below = base - step                            # where the layer's input comes from
        state = rf"h^{{({layer})}}"
        ax.text(-1.7, base + (step if bidirectional else 0.0), f"layer {layer}", fontsize=10,
                ha="left", va="center", fontweight="bold")
        for t in range(1, T + 1):
            x = 2.0 * t
            start = below + (0.3 if layer == 1 else 0.28)
            if not bidirectional:
                arrow(ax, (x, start), (x, base - 0.3))
                if layer > 1:
                    ax.text(x + 0.1, (below + base) / 2, rf"${rf'h^{{({layer - 1})}}'}_{{{t}}}$",
                            fontsize=9, ha="left", va="center")
                _diagram_box_small(ax, x, base, cell, "#fde9b8")
                arrow(ax, (x - 1.55 + (0.45 if t == 1 else 0), base), (x - 0.45, base))
                continue
            y_f, y_b, y_m = base, base + step, base + 2 * step
            # the input goes up into the forward cell and round it into the backward cell
            arrow(ax, (x - 0.15, start), (x - 0.15, y_f - 0.28))
            _line(ax, [(x + 0.15, start), (x + 0.62, start + 0.3), (x + 0.62, y_b - 0.6)], width=1.2)
            arrow(ax, (x + 0.62, y_b - 0.6), (x + 0.3, y_b - 0.28))
            _diagram_box_small(ax, x, y_f, rf"{cell}$\rightarrow$", _FORWARD_COLOR)
            _diagram_box_small(ax, x, y_b, rf"{cell}$\leftarrow$", _BACKWARD_COLOR)
            arrow(ax, (x - 1.55 + (0.45 if t == 1 else 0), y_f), (x - 0.45, y_f), color="#1f5fa8")
            arrow(ax, (x + 1.55, y_b), (x + 0.45, y_b), color="#c2571a")
            # the forward state goes round the backward cell up to the merge
            _line(ax, [(x - 0.3, y_f + 0.28), (x - 0.62, y_f + 0.6), (x - 0.62, y_m - 0.6)], width=1.2)
            arrow(ax, (x - 0.62, y_m - 0.6), (x - 0.3, y_m - 0.28))
            arrow(ax, (x + 0.15, y_b + 0.28), (x + 0.15, y_m - 0.28))
            _diagram_box_small(ax, x, y_m, rf"$[\overrightarrow{{h}}_{{{t}}}, \overleftarrow{{h}}_{{{t}}}]^{{({layer})}}$",
                               _MERGE_COLOR, width=1.4, fontsize=9)
        if bidirectional:
            ax.text(0.35, base + 0.12, rf"$\overrightarrow{{h}}^{{({layer})}}_0 = 0$", fontsize=9,
                    va="bottom", ha="center")
            arrow(ax, (2.0 * T + 0.45, base), (2.0 * T + 1.3, base), color="#1f5fa8")
            arrow(ax, (1.55, base + step), (0.7, base + step), color="#c2571a")
            ax.text(2.0 * T + 1.35, base + step + 0.12,
                    rf"$\overleftarrow{{h}}^{{({layer})}}_{{{T + 1}}} = 0$", fontsize=9, va="bottom", ha="center")
        else:
            ax.text(0.35, base + 0.12, rf"${state}_0 = 0$", fontsize=9, va="bottom", ha="center")
            arrow(ax, (2.0 * T + 0.45, base), (2.0 * T + 1.3, base))
            ax.text(2.0 * T + 1.35, base + 0.12, rf"${state}_{{{T}}}$", fontsize=9, va="bottom", ha="center")
    last_row = top
    output_columns = range(1, T + 1) if return_sequences else [T]
    for t in output_columns:
        x = 2.0 * t
        arrow(ax, (x, last_row + 0.28), (x, last_row + 1.0))
        label = rf"$\hat y_{{{t}}}$" if return_sequences else r"$\hat y$"
        ax.text(x, last_row + 1.05, label, fontsize=12, ha="center", va="bottom")
    ax.set_xlim(-1.8, 2.0 * T + 2.0)
    ax.set_ylim(-0.75, last_row + 1.6)
    ax.axis("off")
    kind = "bidirectional " if bidirectional else ""
    below = (r"the merged states of the layer below ($[\overrightarrow{h}_t, \overleftarrow{h}_t]^{(\ell - 1)}$"
             if bidirectional else r"the state of the layer below ($h^{(\ell - 1)}_t$")
    ax.set_title(f"A stacked {kind}RNN: {layers} {cell} layer{'s' if layers > 1 else ''}; "
                 "each layer reads, at every step,\n" + below + r", or $x_t$ for the first)")
    return fig


def plot_accuracy_bars(results, series, title, chance=0.5, chance_label="chance (coin flip)", ax=None):
    """Bar chart of test accuracies: for each model (a key of `results`), one bar per
    entry of `series`, a list of (key in the model's result dict, legend label, colour)."""
    if not isinstance(results, dict) or not results:
        raise ValueError("plot_accuracy_bars: `results` must be a non-empty dict {label: result}.")
    fig, ax = _axes(ax)
    labels = list(results)
    positions = np.arange(len(labels))
    width = 0.8 / len(series)
    for k, (key, name, color) in enumerate(series):
        offset = (k - (len(series) - 1) / 2) * width
        ax.bar(positions + offset, [results[label][key] for label in labels], width=width * 0.95,
               label=name, color=color)
    ax.axhline(chance, color="gray", linestyle="--", label=chance_label)
    _finish_accuracy_axes(ax, labels, positions, title)
    return fig


def _finish_accuracy_axes(ax, labels, positions, title):
    """Model names under their bars, accuracy from 0 to 1 with room for the legend above."""
    ax.set_xticks(positions)
    ax.set_xticklabels(labels)
    ax.set_ylim(0, 1.3)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_xlabel("model")
    ax.set_ylabel("test accuracy")
    ax.set_title(title)
    ax.legend(loc="upper center", ncol=3, fontsize=9)


def plot_tagging_accuracy(results, ax=None, chance=0.5):
    """The tagging experiment: for each model, its accuracy on the ambiguous words and on
    all other words. results: {label: {"ambiguous_accuracy": float, "other_accuracy": float}}.
    The chance level (a coin flip) is drawn under the ambiguous words' bars only: on the
    other words, always answering O already scores far above it."""
    if not isinstance(results, dict) or not results:
        raise ValueError("plot_tagging_accuracy: `results` must be a non-empty dict {label: result}.")
    fig, ax = _axes(ax)
    labels = list(results)
    positions = np.arange(len(labels))
    width = 0.4
    for offset, key, name, color in [(-width / 2, "ambiguous_accuracy", "ambiguous words", "#c2571a"),
                                     (width / 2, "other_accuracy", "all other words", "#1f5fa8")]:
        ax.bar(positions + offset, [results[label][key] for label in labels], width=width * 0.95,
               label=name, color=color)
    # one short line across each model's ambiguous-words bar, none across the other bars
    ax.hlines(np.full(len(labels), chance), positions - width, positions, color="gray", linestyle="--",
              label="chance on the ambiguous words")
    _finish_accuracy_axes(ax, labels, positions, "Tagging accuracy: ambiguous words vs all other words")
    return fig


def plot_forecasts(targets, panels, first_step=0):
    """Side-by-side panels of one-step-ahead forecasts of one series.

    targets: the true next values, a 1D array. panels: {panel title: {label: 1D array
    of predictions, aligned with targets}}. Steps before `first_step` are not drawn.
    """
    targets = np.asarray(targets, dtype=float).ravel()
    if not isinstance(panels, dict) or not panels:
        raise ValueError("plot_forecasts: `panels` must be a non-empty dict {title: {label: predictions}}.")
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 3.6), sharey=True)
    axes = np.atleast_1d(axes)
    steps = np.arange(first_step, len(targets))
    for ax, (title, predictions) in zip(axes, panels.items()):
        ax.plot(steps, targets[first_step:], color="black", linewidth=2, label="true next value")
        for label, values in predictions.items():
            values = np.asarray(values, dtype=float).ravel()
            if values.shape != targets.shape:
                raise ValueError(f"plot_forecasts: predictions '{label}' have shape {values.shape}, "
                                 f"targets {targets.shape}.")
            ax.plot(steps, values[first_step:], marker=".", label=label)
        ax.set_title(title)
        ax.set_xlabel("step t")
        ax.legend(fontsize=8)
    axes[0].set_ylabel(r"$x_{t+1}$ and its prediction")
    fig.tight_layout()
    return fig


# --- 05_in_practice --------------------------------------------------------------
_PART_COLORS = {"train": "#1f5fa8", "validation": "#e0a100", "test": "#c2571a"}


def plot_time_split(years, values, validation_size, test_size, ax=None,
                    title="Yearly sunspot numbers, split by time"):
    """The whole series, coloured by part: training, then validation, then test."""
    years, values = np.asarray(years).ravel(), np.asarray(values, dtype=float).ravel()
    if years.shape != values.shape:
        raise ValueError(f"plot_time_split: `years` {years.shape} and `values` {values.shape} differ.")
    for name, size in (("validation_size", validation_size), ("test_size", test_size)):
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size <= 0:
            raise ValueError(f"plot_time_split: `{name}` must be a positive integer, got {size!r}.")
    fig, ax = _axes(ax, figsize=(8.0, 3.2))
    cut1, cut2 = len(values) - validation_size - test_size, len(values) - test_size
    for name, (start, stop) in (("train", (0, cut1)), ("validation", (cut1, cut2)),
                                ("test", (cut2, len(values)))):
        stop_drawn = min(stop + 1, len(values))  # join the segments
        ax.plot(years[start:stop_drawn], values[start:stop_drawn], color=_PART_COLORS[name],
                label=f"{name} ({years[start]}–{years[stop - 1]})")
    ax.set_xlabel("year")
    ax.set_ylabel("mean sunspot number")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return fig


def plot_forecasts_vs_truth(years, truth, forecasts, ax=None,
                            title="One-year-ahead forecasts on the test years"):
    """The true values and each model's forecast, {label: array aligned with truth}."""
    years, truth = np.asarray(years).ravel(), np.asarray(truth, dtype=float).ravel()
    if years.shape != truth.shape or not isinstance(forecasts, dict) or not forecasts:
        raise ValueError("plot_forecasts_vs_truth: `years` and `truth` must have the same length "
                         "and `forecasts` must be a non-empty dict {label: values}.")
    fig, ax = _axes(ax, figsize=(8.0, 3.6))
    ax.plot(years, truth, color="black", linewidth=2.5, label="truth")
    for label, values in forecasts.items():
        values = np.asarray(values, dtype=float).ravel()
        if values.shape != truth.shape:
            raise ValueError(f"plot_forecasts_vs_truth: forecast '{label}' has shape "
                             f"{values.shape}, truth {truth.shape}.")
        ax.plot(years, values, marker=".", linewidth=1.2, label=label)
    ax.set_xlabel("year")
    ax.set_ylabel("mean sunspot number")
    ax.set_title(title)
    ax.legend(fontsize=8, ncol=2)
    return fig


def plot_validation_curve(loss, val_loss, ax=None, title="Training and validation loss"):
    """Training and validation loss per epoch, the best validation epoch marked."""
    loss, val_loss = np.asarray(loss, dtype=float), np.asarray(val_loss, dtype=float)
    if loss.ndim != 1 or loss.shape != val_loss.shape or not len(loss):
        raise ValueError("plot_validation_curve: `loss` and `val_loss` must be 1D histories of "
                         "the same length.")
    fig, ax = _axes(ax)
    epochs = np.arange(1, len(loss) + 1)
    ax.semilogy(epochs, loss, label="training loss")
    ax.semilogy(epochs, val_loss, label="validation loss")
    best = int(np.nanargmin(val_loss))
    ax.axvline(best + 1, color="gray", linestyle="--", label=f"best validation epoch ({best + 1})")
    ax.set_xlabel("epoch")
    ax.set_ylabel("MSE on scaled values (log scale)")
    ax.set_title(title)
    ax.legend(loc="center right")
    return fig


def plot_review_accuracy(results, ax=None, chance=0.5):
    """Test accuracy on plain and on reversed reviews for each model.
    results: {label: dict with plain_accuracy and reversed_accuracy}."""
    if not isinstance(results, dict) or not results:
        raise ValueError("plot_review_accuracy: `results` must be a non-empty dict {label: result}.")
    return plot_accuracy_bars(results, [("plain_accuracy", "plain reviews", "#1f5fa8"),
                                        ("reversed_accuracy", "reversed at the end", "#c2571a")],
                              "Test accuracy on plain and on reversed reviews", chance,
                              chance_label="coin flip", ax=ax)


# --- 06_language_model -------------------------------------------------------------
__all__ += ["plot_connectivity", "plot_temperature_measures"]


def plot_connectivity(maps, input_characters, predicted_characters,
                      title="Which earlier characters each prediction depends on"):
    """Heat maps, one panel per model, of how strongly each prediction (a row: the
    character predicted) depends on each input character (a column): maps {label: array
    (rows, columns)}, for example gradient norms with each row divided by its sum."""
    if not isinstance(maps, dict) or not maps:
        raise ValueError("plot_connectivity: `maps` must be a non-empty dict {label: 2D array}.")
    shape = (len(predicted_characters), len(input_characters))
    for label, values in maps.items():
        if np.shape(values) != shape:
            raise ValueError(f"plot_connectivity: map {label!r} has shape {np.shape(values)}, expected "
                             f"{shape} (predicted characters, input characters).")
    top = max(float(np.max(values)) for values in maps.values())
    fig, axes = plt.subplots(1, len(maps), figsize=(3.6 * len(maps) + 0.8, 3.6), squeeze=False)
    for ax, (label, values) in zip(axes[0], maps.items()):
        image = ax.imshow(np.asarray(values, dtype=float), cmap="Blues", vmin=0.0, vmax=top)
        ax.set_xticks(np.arange(shape[1]))
        ax.set_xticklabels(list(input_characters))
        ax.set_yticks(np.arange(shape[0]))
        ax.set_yticklabels(list(predicted_characters))
        ax.set_xlabel("input character")
        ax.set_title(label)
        ax.grid(False)
    axes[0][0].set_ylabel("character predicted")
    fig.colorbar(image, ax=list(axes[0]), shrink=0.85, label="share of the row's gradient")
    fig.suptitle(title)
    return fig


def plot_temperature_measures(temperatures, measures, ax=None,
                              title="Samples at each temperature"):
    """Measures of generated samples against the sampling temperature: measures
    {label: values, one per temperature}, each a share between 0 and 1."""
    temperatures = np.asarray(temperatures, dtype=float)
    if temperatures.ndim != 1 or not len(temperatures) or not measures:
        raise ValueError("plot_temperature_measures: give a 1D list of temperatures and a non-empty "
                         "dict of measures.")
    fig, ax = _axes(ax)
    for label, values in measures.items():
        values = np.asarray(values, dtype=float)
        if values.shape != temperatures.shape:
            raise ValueError(f"plot_temperature_measures: measure {label!r} has {values.size} values "
                             f"for {temperatures.size} temperatures.")
        ax.plot(temperatures, values, marker="o", label=label)
    ax.set_xticks(temperatures)
    ax.set_xlabel("temperature (0: greedy)")
    ax.set_ylabel("share")
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(title)
    ax.legend()
    return fig

"""Figures of the course, drawn with matplotlib: cell diagrams labelled with the
equations' symbols, and the plots of the experiments. Each function draws on a new
figure (or the `ax` it is given), sets title, axis labels and legend, and returns the
figure; the notebook ends its cell with `plt.show()`.
"""

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["plot_gradient_norms"]


def _axes(ax, figsize=None):
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


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

# --- 02_lstm ---------------------------------------------------------------------

# --- 03_gru ----------------------------------------------------------------------

# --- 04_bidirectional ------------------------------------------------------------

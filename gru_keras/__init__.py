"""gru_keras: the support package of the recurrent-networks course.

- `gru_keras.cells`: `SimpleRNNCell`, `LSTMCell`, `GRUCell`, `SimplifiedGRUCell`, Keras 3
  cells written with `keras.ops`, weight for weight compatible with Keras' own.
- `gru_keras.reference`: the same equations in plain NumPy, forward and backward.
- `gru_keras.notebook`: the one-line set-up every notebook starts with.

The cells are imported lazily, so that `import gru_keras.notebook` can silence
TensorFlow's start-up messages before anything imports TensorFlow.
"""

import importlib

__version__ = "0.1.0"

_CELLS = ("SimpleRNNCell", "LSTMCell", "GRUCell", "SimplifiedGRUCell")
__all__ = list(_CELLS)


def __getattr__(name):
    if name in _CELLS:
        return getattr(importlib.import_module("gru_keras.cells"), name)
    raise AttributeError(f"module 'gru_keras' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_CELLS))

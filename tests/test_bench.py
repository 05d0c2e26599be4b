"""The benchmark's arithmetic and a tiny end-to-end run (speed itself is measured by
`python -m gru_keras.bench`, never asserted in tests)."""

import pytest

from gru_keras import bench


def test_ratios_are_paired_within_each_repeat():
    # The machine was twice as slow in the second repeat: paired ratios see 1.2 both times.
    times = {("custom", "fit"): [1.2, 2.4, 1.2], ("builtin", "fit"): [1.0, 2.0, 1.0]}
    custom_rate, builtin_rate, ratio = bench.summarise(times, "fit", sequences=120)
    assert ratio == pytest.approx(1.2)
    assert custom_rate == pytest.approx(100.0) and builtin_rate == pytest.approx(120.0)


def test_a_tiny_run_prints_the_table(capsys):
    status = bench.main(["--units", "4", "--steps", "3", "--sequences", "8", "--batch-size", "8",
                         "--repeats", "2", "--cells", "GRU-reset-before"])
    out = capsys.readouterr().out
    assert status == 0
    assert "| GRU-reset-before | 4 |" in out and "Peak memory" in out


def test_bad_sizes_are_refused():
    with pytest.raises(SystemExit):
        bench.main(["--units", "0"])

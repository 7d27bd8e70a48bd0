"""Numbers glued into prose are plain Python numbers, so format specs work."""
import numpy as np
import pytest

from helpers.glue_values import glue_numbers, plain


def test_plain_turns_numpy_scalars_into_python_numbers():
    assert type(plain(np.float64(35.1))) is float and plain(np.float64(35.1)) == 35.1
    assert type(plain(np.int64(2021))) is int
    assert plain("text") == "text"
    assert format(plain(np.float64(37.6554)), ".1f") == "37.7"


def test_numpy_repr_is_what_breaks_formatting():
    # The reason for this module: MyST-NB parses the text/plain repr, which numpy 2 writes like this.
    assert repr(np.float64(35.1)) == "np.float64(35.1)"


def test_glue_numbers_rejects_missing_values():
    with pytest.raises(ValueError, match="c1_x"):
        glue_numbers({"c1_x": np.nan})

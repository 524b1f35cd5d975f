from cnnavi.testing import _back_to_japanese  # noqa: F401 (each test ends in Japanese)

"""Module docstring."""


class Layer:
    """A layer.

    With a long description.
    """

    scale = 2  # class attribute

    def __init__(self, n):
        """Create it."""
        self.n = n

    def forward(self, x):
        """Scale x."""
        # comment before return
        return x * self.scale * self.n


def helper():
    """Only a docstring."""


print(Layer.__doc__.splitlines()[0], Layer.forward.__doc__, helper(), helper.__doc__)
print(Layer(3).forward(2))
print(__doc__)

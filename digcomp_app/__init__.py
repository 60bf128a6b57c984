"""DigComp recognition: self-assess, evidence, assess and certify digital competences."""

__version__ = "0.1.0"

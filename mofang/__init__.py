"""教育魔方 Mofang: one platform, three core businesses, N application modules."""

__version__ = "0.1.0"

"""Scoring Kabar against gold data (``../shared``): used by the tests and by ``make bench``."""

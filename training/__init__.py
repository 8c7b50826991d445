"""Model training for Kabar (offline, reproducible): ``python -m training.train_ner``."""

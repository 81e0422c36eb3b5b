"""Quantitative methods for risk and project supervision, without Django: risk matrices and scores, Monte Carlo
over a risk register, second-moment totals, Markov chains of vendor states, earned value and critical chain.

Every module here takes and returns plain values (numbers, Decimals, numpy arrays, dataclasses) and is tested
with plain values and hypothesis; the apps (`oversight.risks`, `oversight.projects`) load the data and call it.
"""

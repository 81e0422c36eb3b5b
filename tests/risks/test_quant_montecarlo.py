"""Monte Carlo over a register (oversight.quant.montecarlo), checked against analytic values computed here."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.quant import montecarlo as mc
from oversight.quant.moments import QuantInputError
from oversight.quant.montecarlo import RiskInput, simulate


def pert(key, p, a, m, b, **groups):
    return RiskInput(key, "bernoulli", p, "pert", a, b, m, groups)


REGISTER = [
    pert("R1", 0.2, 10_000, 20_000, 60_000, vendor="Acme", category="technical"),
    pert("R2", 0.5, 1_000, 4_000, 5_000, vendor="Acme", category="vendor"),
    RiskInput("R3", "poisson", 2.5, "triangular", 100, 900, 300, {"vendor": "Beta", "category": "technical"}),
    RiskInput("R4", "bernoulli", 0.05, "lognormal", 50_000, 500_000, None, {"vendor": "Beta", "category": "data"}),
]


def test_analytic_mean_is_the_mission_formula():
    # MISSION.md: Σ p·(a + 4m + b)/6 for Bernoulli-PERT risks
    result = simulate(REGISTER[:2], seed=1)
    assert result.analytic_mean == pytest.approx(
        0.2 * (10_000 + 80_000 + 60_000) / 6 + 0.5 * (1_000 + 16_000 + 5_000) / 6
    )
    assert result.base == result.analytic_mean


def test_analytic_moments_of_each_shape_against_independent_formulas():
    # PERT through the beta distribution: α = 1 + 4(m-a)/(b-a), mean a + (b-a)·α/(α+β), var (b-a)²·αβ/((α+β)²(α+β+1))
    a, m, b = 10.0, 20.0, 60.0
    alpha, beta = 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)
    mean, var = mc.severity_moments(pert("x", 1, a, m, b))
    assert mean == pytest.approx(a + (b - a) * alpha / (alpha + beta))
    assert var == pytest.approx((b - a) ** 2 * alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1)))
    # triangular by numerical integration of its density
    x = np.linspace(100, 900, 200_001)
    density = np.where(x < 300, 2 * (x - 100) / (800 * 200), 2 * (900 - x) / (800 * 600))
    t_mean, t_var = mc.severity_moments(REGISTER[2])
    assert t_mean == pytest.approx(np.trapezoid(x * density, x), rel=1e-6)
    assert t_var == pytest.approx(np.trapezoid((x - t_mean) ** 2 * density, x), rel=1e-5)
    # lognormal: its 5th and 95th percentiles are the range given
    mu, sigma = mc.lognormal_parameters(50_000, 500_000)
    assert math.exp(mu - 1.6448536269514722 * sigma) == pytest.approx(50_000)
    assert math.exp(mu + 1.6448536269514722 * sigma) == pytest.approx(500_000)
    # yearly loss: Bernoulli p·E[X] and p·E[X²] − (p·E[X])²; compound Poisson λ·E[X] and λ·E[X²]
    moments = mc.risk_moments(REGISTER[0])
    s_mean, s_var = mc.severity_moments(REGISTER[0])
    assert moments.mean == pytest.approx(0.2 * s_mean)
    assert moments.variance == pytest.approx(0.2 * (s_var + s_mean**2) - (0.2 * s_mean) ** 2)
    assert mc.risk_moments(REGISTER[2]).variance == pytest.approx(2.5 * (t_var + t_mean**2))


def test_same_seed_same_numbers_other_seed_other_numbers():
    corr = np.eye(4)
    corr[0, 1] = corr[1, 0] = 0.6
    first = simulate(REGISTER, seed=20261207, correlation=corr, appetite=40_000)
    again = simulate(REGISTER, seed=20261207, correlation=corr, appetite=40_000)
    other = simulate(REGISTER, seed=20261208, correlation=corr, appetite=40_000)
    assert first.as_dict() == again.as_dict()
    assert first.mean != other.mean


def test_simulated_mean_and_variance_agree_with_the_analytic_ones():
    result = simulate(REGISTER, iterations=50_000, seed=7)
    assert abs(result.mean - result.analytic_mean) <= 4 * result.standard_error
    # the sample variance of a sum of independent losses estimates Σ Var[Lᵢ]
    assert result.std == pytest.approx(result.analytic_std, rel=0.05)
    for outcome in result.risks:
        assert outcome.simulated_mean == pytest.approx(outcome.analytic_mean, rel=0.1)


severities = st.one_of(
    st.tuples(
        st.sampled_from(["pert", "triangular"]),
        st.one_of(st.just(0.0), st.floats(0.01, 1e6)),
        st.floats(0, 1),
        st.floats(1.01, 20),
    ),
    st.tuples(st.just("lognormal"), st.floats(1, 1e6), st.just(0.0), st.floats(1.5, 20)),
)
# Rates of at least 0.01 give 100+ events in 10,000 years, where the sample mean is close to normal (rarer risks
# have so few events that a deviation of 4 standard errors is no longer rare).
risks = st.tuples(st.sampled_from(["bernoulli", "poisson"]), st.floats(0.01, 1), severities)


@settings(max_examples=25)
@given(st.lists(risks, min_size=1, max_size=12), st.integers(0, 2**63 - 1))
def test_random_registers_agree_within_four_standard_errors(rows, seed):
    register = []
    for i, (frequency, rate, (severity, low, where, ratio)) in enumerate(rows):
        high = low * ratio if low > 0 else ratio * 1000
        mode = low + where * (high - low) if severity != "lognormal" else None
        rate = rate * 3 if frequency == "poisson" else rate
        register.append(RiskInput(f"R{i}", frequency, rate, severity, low, high, mode))
    result = simulate(register, seed=seed)
    expected = sum(mc.risk_moments(r).mean for r in register)
    assert result.analytic_mean == pytest.approx(expected)
    # the standard error from the sample and from the analytic standard deviation (exact without correlation)
    standard_error = max(result.standard_error, result.analytic_std / math.sqrt(result.iterations))
    tolerance = 4 * standard_error + 1e-9 * max(expected, 1)
    assert abs(result.mean - result.analytic_mean) <= tolerance


def test_probability_of_any_loss_and_the_exceedance_curve():
    register = [REGISTER[0], REGISTER[3]]
    result = simulate(register, iterations=40_000, seed=3, appetite=0)
    p_none = (1 - 0.2) * (1 - 0.05)
    p_any = 1 - p_none
    se = math.sqrt(p_any * p_none / 40_000)
    assert abs(result.prob_exceed_appetite - p_any) <= 4 * se
    curve = result.exceedance
    assert curve[0] == (0.0, result.prob_exceed_appetite)
    assert curve[-1][1] == 0.0
    assert all(later[1] <= earlier[1] for earlier, later in zip(curve, curve[1:], strict=False))
    assert len(curve) == mc.LEC_POINTS
    # with P(no loss) = 0.76 the median year costs nothing, the 80th percentile year does
    assert result.percentiles[50] == 0 < result.percentiles[80]


def test_contingencies_tornado_and_groups_add_up():
    result = simulate(REGISTER, seed=11, appetite=30_000)
    assert result.contingency_p80_base == pytest.approx(result.percentiles[80] - result.analytic_mean)
    assert result.contingency_p95_p50 == pytest.approx(result.percentiles[95] - result.percentiles[50])
    assert sum(r.variance_share for r in result.risks) == pytest.approx(1.0)
    assert sum(r.tail_contribution for r in result.risks) == pytest.approx(result.tail_mean)
    assert result.tail_mean >= result.percentiles[90]
    for dimension in ("vendor", "category"):
        groups = [g for g in result.groups if g.dimension == dimension]
        assert sum(g.mean for g in groups) == pytest.approx(result.mean)
    by_label = {(g.dimension, g.label): g.mean for g in result.groups}
    assert by_label[("vendor", "Acme")] == pytest.approx(
        result.risks[0].simulated_mean + result.risks[1].simulated_mean
    )


def test_variance_shares_of_independent_risks_follow_their_variances():
    result = simulate(REGISTER[:3], iterations=100_000, seed=5)
    variances = [mc.risk_moments(r).variance for r in REGISTER[:3]]
    for outcome, variance in zip(result.risks, variances, strict=True):
        assert outcome.variance_share == pytest.approx(variance / sum(variances), abs=0.02)


def spearman(x, y):
    rx, ry = np.argsort(np.argsort(x)), np.argsort(np.argsort(y))
    return np.corrcoef(rx, ry)[0, 1]


def test_iman_conover_reaches_the_rank_correlation_and_keeps_each_marginal():
    register = [RiskInput(f"R{i}", "bernoulli", 1.0, "pert", 100, 400 + 100 * i, 200) for i in range(3)]
    target = np.array([[1.0, 0.7, -0.3], [0.7, 1.0, 0.0], [-0.3, 0.0, 1.0]])
    rng = np.random.Generator(np.random.PCG64(9))
    losses = mc.sample_losses(register, 20_000, rng)
    shuffled = mc.iman_conover(losses, target, rng)
    np.testing.assert_array_equal(np.sort(shuffled, axis=0), np.sort(losses, axis=0))
    for i, j in ((0, 1), (0, 2), (1, 2)):
        assert spearman(shuffled[:, i], shuffled[:, j]) == pytest.approx(target[i, j], abs=0.03)
    # positive correlation widens the total's spread (its mean stays)
    independent = simulate(register, seed=2)
    correlated = simulate(register, seed=2, correlation=np.array([[1, 0.9, 0.9], [0.9, 1, 0.9], [0.9, 0.9, 1]]))
    assert correlated.correlated and not independent.correlated
    assert correlated.std > 1.5 * independent.std
    assert correlated.analytic_mean == independent.analytic_mean


def test_progress_is_reported_up_to_done():
    seen = []
    simulate(REGISTER, seed=1, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0


@pytest.mark.parametrize(
    ("risk", "code", "field"),
    [
        (pert("R", 0.2, 500, 300, 100), "bounds_order", "low"),
        (pert("R", 0.2, -5, 10, 20), "negative", "low"),
        (pert("R", 1.2, 5, 10, 20), "probability_range", "rate"),
        (pert("R", 0.2, 5, 30, 20), "mode_outside", "mode"),
        (RiskInput("R", "poisson", 80, "pert", 5, 20, 10), "rate_range", "rate"),
        (RiskInput("R", "bernoulli", 0.1, "lognormal", 0, 20), "lognormal_zero", "low"),
        (RiskInput("R", "sometimes", 0.1, "pert", 5, 20, 10), "frequency_unknown", "frequency"),
        (RiskInput("R", "bernoulli", 0.1, "pert", 5, 20, None), "missing_value", "mode"),
    ],
)
def test_bad_inputs_are_refused_in_plain_language(risk, code, field):
    with pytest.raises(QuantInputError) as caught:
        simulate([risk], seed=1)
    assert (caught.value.code, caught.value.field, caught.value.key) == (code, field, "R")
    assert str(caught.value).startswith("R: ")


def test_bad_runs_are_refused():
    with pytest.raises(QuantInputError, match="between 10000 and"):
        simulate(REGISTER, iterations=500, seed=1)
    with pytest.raises(QuantInputError, match="contradict"):
        bad = np.array([[1, 0.9, 0.9, 0], [0.9, 1, -0.9, 0], [0.9, -0.9, 1, 0], [0, 0, 0, 1]])
        simulate(REGISTER, seed=1, correlation=bad)
    with pytest.raises(QuantInputError) as caught:
        simulate([], seed=1)
    assert caught.value.code == "no_risks"
    with pytest.raises(QuantInputError) as caught:
        simulate(REGISTER, seed=-1)
    assert caught.value.code == "seed_range"

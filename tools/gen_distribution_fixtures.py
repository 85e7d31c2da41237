#!/usr/bin/env python3
"""Reference log-probabilities, entropies and KL divergences of the action distributions of
MazePerception, computed with numpy and scipy (independently of the Swift code) on fixed inputs.

Inputs are rounded to float32 first so that Swift and this script evaluate the same numbers.
Writes Tests/MazePerceptionTests/Fixtures/distributions.json.

Conventions mirrored from the Swift side (documented there):
- Categorical logits may be masked: masked actions have probability 0, the others are renormalised.
- Gaussian parameters are [means, log stds] per row; log stds lie inside the clamp range [-20, 2].
- Squashed Gaussian: a = center + half_width * tanh(u); its entropy is the pre-squash Gaussian's,
  its KL the Gaussians' (exact, tanh being a bijection).
- Beta: alpha = 1 + softplus(first half), beta = 1 + softplus(second half), scaled onto [low, high].
"""
import json
import pathlib

import numpy as np
from scipy import special, stats

OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/MazePerceptionTests/Fixtures/distributions.json"
rng = np.random.default_rng(20261121)


def f32(values):
    return np.asarray(values, dtype=np.float32).astype(np.float64)


def softplus(x):
    return np.logaddexp(0.0, x)


def make_case(name, space, distribution, params, other, actions, log_prob, entropy, kl, mask=None):
    """One fixture case; arrays become nested lists."""
    as_list = lambda values: np.asarray(values).tolist()
    return dict(name=name, space=space, distribution=distribution, parameters=as_list(params),
                other_parameters=as_list(other), mask=None if mask is None else as_list(mask),
                actions=as_list(actions), log_prob=as_list(log_prob), entropy=as_list(entropy), kl=as_list(kl))


def categorical_terms(logits, mask, actions, other):
    log_probs, entropies, kls = [], [], []
    for row in range(logits.shape[0]):
        allowed = mask[row] if mask is not None else np.ones(logits.shape[1], dtype=bool)
        p = np.zeros(logits.shape[1])
        q = np.zeros(logits.shape[1])
        p[allowed] = special.softmax(logits[row][allowed])
        q[allowed] = special.softmax(other[row][allowed])
        log_probs.append(float(np.log(p[int(actions[row][0])])))
        entropies.append(float(stats.entropy(p)))
        kls.append(float(np.sum(special.rel_entr(p, q))))
    return log_probs, entropies, kls


def case_categorical(masked):
    batch, n = 4, 5
    logits = f32(rng.normal(0, 1.5, (batch, n)))
    other = f32(rng.normal(0, 1.5, (batch, n)))
    mask = rng.random((batch, n)) < 0.6 if masked else None
    if mask is not None:
        mask[:, 0] = True  # every row allows something
    actions = []
    for row in range(batch):
        allowed = np.nonzero(mask[row])[0] if mask is not None else np.arange(n)
        actions.append([float(rng.choice(allowed))])
    log_prob, entropy, kl = categorical_terms(logits, mask, actions, other)
    return make_case("categorical_masked" if masked else "categorical", {"type": "discrete", "n": n},
                     "CategoricalProbabilityDistribution", logits, other, actions, log_prob, entropy, kl, mask)


def case_multi_categorical():
    batch, nvec = 3, [3, 2, 4]
    logits = f32(rng.normal(0, 1.0, (batch, sum(nvec))))
    other = f32(rng.normal(0, 1.0, (batch, sum(nvec))))
    actions = np.stack([rng.integers(0, n, batch) for n in nvec], axis=1).astype(float)
    log_prob, entropy, kl = np.zeros(batch), np.zeros(batch), np.zeros(batch)
    offset = 0
    for index, n in enumerate(nvec):
        lp, en, k = categorical_terms(logits[:, offset:offset + n], None, actions[:, index:index + 1],
                                      other[:, offset:offset + n])
        log_prob += lp
        entropy += en
        kl += k
        offset += n
    return make_case("multi_categorical", {"type": "multi_discrete", "nvec": nvec},
                     "MultiCategoricalProbabilityDistribution", logits, other, actions, log_prob, entropy, kl)


def case_bernoulli():
    batch, n = 4, 3
    logits = f32(rng.normal(0, 2.0, (batch, n)))
    other = f32(rng.normal(0, 2.0, (batch, n)))
    actions = rng.integers(0, 2, (batch, n)).astype(float)
    p, q = special.expit(logits), special.expit(other)
    log_prob = stats.bernoulli.logpmf(actions, p).sum(axis=1)
    entropy = stats.bernoulli.entropy(p).sum(axis=1)
    kl = (special.rel_entr(p, q) + special.rel_entr(1 - p, 1 - q)).sum(axis=1)
    return make_case("bernoulli", {"type": "multi_binary", "n": n}, "BernoulliProbabilityDistribution",
                     logits, other, actions, log_prob, entropy, kl)


def gaussian_parameters(batch, n):
    return f32(np.concatenate([rng.normal(0, 1.0, (batch, n)), rng.uniform(-1.5, 0.5, (batch, n))], axis=1))


def mean_and_std(params, n):
    return params[:, :n], np.exp(params[:, n:])


def gaussian_kl(mean, std, other_mean, other_std):
    return (np.log(other_std / std) + (std ** 2 + (mean - other_mean) ** 2) / (2 * other_std ** 2) - 0.5).sum(axis=1)


def case_diagonal_gaussian():
    batch, n = 4, 2
    params, other = gaussian_parameters(batch, n), gaussian_parameters(batch, n)
    (mean, std), (other_mean, other_std) = mean_and_std(params, n), mean_and_std(other, n)
    actions = f32(rng.normal(0, 1.5, (batch, n)))
    log_prob = stats.norm.logpdf(actions, mean, std).sum(axis=1)
    entropy = stats.norm.entropy(mean, std).sum(axis=1)
    return make_case("diagonal_gaussian", {"type": "box", "low": [-2.0] * n, "high": [2.0] * n},
                     "DiagonalGaussianProbabilityDistribution", params, other, actions, log_prob, entropy,
                     gaussian_kl(mean, std, other_mean, other_std))


def case_squashed_gaussian():
    batch, n = 4, 2
    low, high = np.array([-2.0, 0.0]), np.array([2.0, 1.0])
    params, other = gaussian_parameters(batch, n), gaussian_parameters(batch, n)
    (mean, std), (other_mean, other_std) = mean_and_std(params, n), mean_and_std(other, n)
    actions = f32(low + (high - low) * rng.uniform(0.05, 0.95, (batch, n)))
    center, half = (low + high) / 2, (high - low) / 2
    y = (actions - center) / half
    u = np.arctanh(y)
    # Change of variables: p_a(a) = p_u(u) / |da/du|, da/du = half * (1 - tanh(u)^2).
    log_prob = (stats.norm.logpdf(u, mean, std) - np.log(half * (1 - y ** 2))).sum(axis=1)
    entropy = stats.norm.entropy(mean, std).sum(axis=1)
    return make_case("squashed_gaussian", {"type": "box", "low": low.tolist(), "high": high.tolist()},
                     "SquashedGaussianProbabilityDistribution", params, other, actions, log_prob, entropy,
                     gaussian_kl(mean, std, other_mean, other_std))


def case_beta():
    batch, n = 4, 2
    low, high = np.array([-2.0, 0.0]), np.array([2.0, 3.0])
    params = f32(rng.normal(0.5, 1.5, (batch, 2 * n)))
    other = f32(rng.normal(0.5, 1.5, (batch, 2 * n)))
    a, b = 1 + softplus(params[:, :n]), 1 + softplus(params[:, n:])
    oa, ob = 1 + softplus(other[:, :n]), 1 + softplus(other[:, n:])
    actions = f32(low + (high - low) * rng.uniform(0.05, 0.95, (batch, n)))
    log_prob = stats.beta.logpdf(actions, a, b, loc=low, scale=high - low).sum(axis=1)
    entropy = stats.beta.entropy(a, b, loc=low, scale=high - low).sum(axis=1)
    kl = (special.betaln(oa, ob) - special.betaln(a, b) + (a - oa) * special.digamma(a)
          + (b - ob) * special.digamma(b) + (oa - a + ob - b) * special.digamma(a + b)).sum(axis=1)
    return make_case("beta", {"type": "box", "low": low.tolist(), "high": high.tolist()},
                     "BetaProbabilityDistribution", params, other, actions, log_prob, entropy, kl)


def beta_kl_by_quadrature_check(case):
    """Cross-checks the closed-form Beta KL against numerical integration of p log(p/q)."""
    from scipy import integrate
    params, other = np.array(case["parameters"]), np.array(case["other_parameters"])
    n = params.shape[1] // 2
    a, b = 1 + softplus(params[:, :n]), 1 + softplus(params[:, n:])
    oa, ob = 1 + softplus(other[:, :n]), 1 + softplus(other[:, n:])
    for row in range(params.shape[0]):
        total = 0.0
        for k in range(n):
            p, q = stats.beta(a[row, k], b[row, k]), stats.beta(oa[row, k], ob[row, k])
            total += integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), 0, 1)[0]
        assert abs(total - case["kl"][row]) < 1e-6, (total, case["kl"][row])


def main():
    cases = [case_categorical(False), case_categorical(True), case_multi_categorical(), case_bernoulli(),
             case_diagonal_gaussian(), case_squashed_gaussian(), case_beta()]
    beta_kl_by_quadrature_check(cases[-1])
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps({"cases": cases}, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {OUTPUT}")


if __name__ == "__main__":
    main()

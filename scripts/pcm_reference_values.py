#!/usr/bin/env python3
"""Prints the reference statistics of aihwkit's PCMLikeNoiseModel (g_max = 25 uS, aihwkit
defaults) that Tests/DevicesTests/PCMReferenceValues.swift pins, as Swift literals.

Written independently of Hybrix's Swift code, from the formulas of IBM aihwkit
src/aihwkit/inference/noise/pcm.py and docs/source/pcm_inference.rst (Nandakumar et al.,
ICECS 2019), summarised in research/papers.md section 2.3. numpy only; nothing random.

  usage: python3 scripts/pcm_reference_values.py > /tmp/pcm.swift   (then paste the tables)

With g = g_hat * g_max the target conductance (uS) and t_inf the time after programming (s):
  programming  sigma_prog = (0.26348 + 1.9650 g_hat - 1.1731 g_hat^2) * g_max / 25
  drift        mu_nu  = clip(-0.0155 ln g_hat + 0.0244, 0.049, 0.1)
               sig_nu = clip(-0.0125 ln g_hat - 0.0059, 0.008, 0.045)   (g_hat clipped >= 1e-7)
               nu = |mu_nu + sig_nu xi|: a folded normal, whose mean and SD are printed too
  read         Q_s = min(0.0088 / max(g_hat_prog^0.65, 1e-3), 0.2)
               t = t_inf + t0 (t0 = 20 s), F(t) = sqrt(ln((t + t_read) / (2 t_read))), t_read = 250 ns
               SD of the read conductance of a device programmed exactly to g, drift off:
               g * Q_s(g_hat) * F(t);  drift factor at nu = mu_nu: ((t_inf + t0) / t0)^(-mu_nu)
"""
import math

import numpy as np

G_MAX = 25.0
T0 = 20.0
T_READ = 250e-9
G_HATS = [0.001, 0.01, 0.03, 0.1, 0.3, 0.7, 1.0]
# 1 s, 1 h, 1 d, 1 y (Julian year, 365.25 d, as Hybrix's "1y").
TIMES = [("1s", 1.0), ("1h", 3600.0), ("1d", 86400.0), ("1y", 365.25 * 86400.0)]


def sigma_prog(g_hat):
    return float(np.polyval([-1.1731, 1.9650, 0.26348], g_hat)) * G_MAX / 25.0


def drift_params(g_hat):
    x = max(abs(g_hat), 1e-7)
    mu = float(np.clip(-0.0155 * np.log(x) + 0.0244, 0.049, 0.1))
    sig = float(np.clip(-0.0125 * np.log(x) - 0.0059, 0.008, 0.045))
    return mu, sig


def folded_normal(mu, sig):
    """Mean and SD of |X| for X ~ N(mu, sig^2) (Leone, Nelson & Nottingham 1961)."""
    mean = sig * math.sqrt(2 / math.pi) * math.exp(-mu * mu / (2 * sig * sig)) + mu * math.erf(
        mu / (sig * math.sqrt(2)))
    return mean, math.sqrt(mu * mu + sig * sig - mean * mean)


def q_s(g_hat):
    return min(0.0088 / max(abs(g_hat) ** 0.65, 1e-3), 0.2)


def time_factor(t_inf):
    t = t_inf + T0
    return math.sqrt(math.log((t + T_READ) / (2 * T_READ)))


def main():
    print("  // (ĝ, σ_prog µS, μ_ν, σ_ν, E[ν], SD[ν], Q_s)")
    print("  static let devices: [(Double, Double, Double, Double, Double, Double, Double)] = [")
    for g in G_HATS:
        mu, sig = drift_params(g)
        mean, sd = folded_normal(mu, sig)
        print(f"    ({g!r}, {sigma_prog(g):.12g}, {mu:.12g}, {sig:.12g}, {mean:.12g}, {sd:.12g}, {q_s(g):.12g}),")
    print("  ]")
    print("  // (label, t_inf s, F(t) = √ln((t_inf + t0 + t_read)/(2 t_read)))")
    print("  static let times: [(String, Double, Double)] = [")
    for label, t in TIMES:
        print(f"    (\"{label}\", {t!r}, {time_factor(t):.12g}),")
    print("  ]")
    print("  // (ĝ, label, read-noise SD in µS of a device at exactly ĝ·g_max, drift factor at ν = μ_ν)")
    print("  static let reads: [(Double, String, Double, Double)] = [")
    for g in G_HATS:
        mu, _ = drift_params(g)
        for label, t in TIMES:
            sd = g * G_MAX * q_s(g) * time_factor(t)
            drift = ((t + T0) / T0) ** (-mu)
            print(f"    ({g!r}, \"{label}\", {sd:.12g}, {drift:.12g}),")
    print("  ]")


if __name__ == "__main__":
    main()

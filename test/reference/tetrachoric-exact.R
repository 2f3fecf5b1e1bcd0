# The tetrachoric likelihood of psych::tetrachoric solved to machine precision (psych's optimize() stops at ~1.2e-4
# in rho), shared by stats-core.R and stats-sweeps.R: X is items x models (1 = correct); an empty cell of a pair's
# 2x2 table counts `correct`; thresholds at each model's own margin; needs pbivnorm.
exact_tetrachoric <- function(X, correct = 0.5) {
  M <- ncol(X); tau <- -qnorm(colMeans(X)); exact <- diag(M); corrected <- 0
  for (a in 1:(M - 1)) for (b in (a + 1):M) {
    tab <- matrix(tabulate(X[, a] + 2 * X[, b] + 1, 4), 2)       # psych:::tableVeryFast
    if (min(tab) == 0) { tab[tab == 0] <- correct; corrected <- corrected + 1 }
    A <- pnorm(tau[a]); B <- pnorm(tau[b])
    score <- function(p) tab[1, 1] / p - tab[2, 1] / (B - p) - tab[1, 2] / (A - p) + tab[2, 2] / (1 - A - B + p)
    lo <- max(0, A + B - 1); hi <- min(A, B); eps <- 1e-14 * (hi - lo)
    p <- uniroot(score, c(lo + eps, hi - eps), tol = 1e-16)$root
    r <- uniroot(function(r) pbivnorm(tau[a], tau[b], r) - p, c(-1, 1), tol = 1e-13)$root
    exact[a, b] <- exact[b, a] <- r
  }
  list(exact = exact, corrected = corrected)
}

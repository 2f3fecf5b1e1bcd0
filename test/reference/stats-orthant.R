#!/usr/bin/env Rscript
# Reference values for test/stats/{orthant,kappa,lp,nonIdentifiable}.test.ts.
# Run from the project root:  Rscript test/reference/stats-orthant.R
# Writes test/reference/stats-orthant.json (committed; tests never need R).
# Inputs are generated deterministically (formulas, no RNG) and written into the JSON with
# the outputs, so the TypeScript tests read exactly the inputs R used.
suppressPackageStartupMessages({ library(mvtnorm); library(psych); library(lpSolve); library(jsonlite) })

# --- correlation matrices: a general factor + a signed group factor + uniqueness (always PD) ---
factorCorr <- function(M, lo, hi, g) {
  m <- 0:(M - 1)
  l1 <- lo + (hi - lo) * ((m * 37) %% M) / max(M - 1, 1)          # general loadings in [lo, hi]
  l2 <- g * ifelse(m %% 3 == 0, 1, -1) * (((m * 11) %% 7) / 6)     # small group factor
  R <- outer(l1, l1) + outer(l2, l2)
  diag(R) <- 1
  stopifnot(min(eigen(R, only.values = TRUE)$values) > 0)
  R
}
errRates <- function(M, lo, hi) { m <- 0:(M - 1); lo + (hi - lo) * ((m * 23) %% M) / max(M - 1, 1) }

cases <- list(
  list(name = "dim3", R = factorCorr(3, 0.3, 0.7, 0.2), err = errRates(3, 0.2, 0.5), abseps = 1e-7),
  list(name = "dim5", R = factorCorr(5, 0.4, 0.8, 0.3), err = errRates(5, 0.1, 0.6), abseps = 1e-7),
  list(name = "dim10", R = factorCorr(10, 0.5, 0.85, 0.2), err = errRates(10, 0.15, 0.7), abseps = 1e-6),
  list(name = "dim20", R = factorCorr(20, 0.3, 0.8, 0.3), err = errRates(20, 0.2, 0.9), abseps = 1e-6),
  list(name = "dim67", R = factorCorr(67, 0.55, 0.9, 0.15), err = errRates(67, 0.1, 0.95), abseps = 1e-5)
)
orthant <- lapply(cases, function(cs) {
  upper <- qnorm(cs$err)
  set.seed(20260625)
  t0 <- proc.time()[["elapsed"]]
  p <- pmvnorm(lower = rep(-Inf, length(upper)), upper = upper, corr = cs$R,
               algorithm = GenzBretz(maxpts = 5e7, abseps = cs$abseps, releps = 0))
  secs <- proc.time()[["elapsed"]] - t0
  cat(sprintf("%s: %.10g +- %.3g (%s) %.2fs\n", cs$name, p[1], attr(p, "error"), attr(p, "msg"), secs))
  list(name = cs$name, upper = upper, corr = as.vector(cs$R), dim = length(upper),
       abseps = cs$abseps, value = p[1], error = attr(p, "error"), msg = attr(p, "msg"), seconds = secs)
})

# --- psych::cohen.kappa on fixed rating vectors ---
r1 <- c(1,1,0,1,0,0,1,1,1,0,1,0,0,1,1,1,0,1,1,0, 1,1,1,0,0,1,0,1,1,1)
r2 <- c(1,0,0,1,0,1,1,1,0,0,1,0,0,1,1,1,1,1,1,0, 1,1,0,0,0,1,0,1,1,0)
c1 <- c(1,2,3,3,2,1,1,2,3,3,2,2,1,1,3,3,2,1,2,3, 3,2,1,1,2,3,2,1,3,3)
c2 <- c(1,2,3,2,2,1,2,2,3,3,1,2,1,1,3,2,2,1,2,3, 3,3,1,1,2,3,2,2,3,1)
ck <- function(a, b) {
  k <- cohen.kappa(cbind(a, b))
  list(a = a, b = b, kappa = unname(k$kappa), var_kappa = unname(k$var.kappa),
       agree = unname(sum(diag(k$agree))))
}
kappa <- list(binary = ck(r1, r2), three = ck(c1, c2))

# --- lpSolve on textbook LPs ---
lps <- list(
  # Dantzig-style: max 3x + 5y s.t. x <= 4, 2y <= 12, 3x + 2y <= 18 (opt 36 at (2,6))
  list(name = "wyndor", direction = "max", obj = c(3, 5),
       A = rbind(c(1, 0), c(0, 2), c(3, 2)), dir = c("<=", "<=", "<="), rhs = c(4, 12, 18)),
  # diet-like min with >= and = rows
  list(name = "mixed", direction = "min", obj = c(2, 3, 4),
       A = rbind(c(1, 1, 1), c(1, 2, 0), c(0, 1, 3)), dir = c("=", ">=", ">="), rhs = c(10, 8, 6)),
  list(name = "degenerate", direction = "max", obj = c(10, -57, -9, -24),
       A = rbind(c(0.5, -5.5, -2.5, 9), c(0.5, -1.5, -0.5, 1), c(1, 0, 0, 0)),
       dir = c("<=", "<=", "<="), rhs = c(0, 0, 1))
)
lpOut <- lapply(lps, function(l) {
  s <- lp(l$direction, l$obj, l$A, l$dir, l$rhs)
  c(l[c("name", "direction", "obj", "dir", "rhs")], list(A = lapply(seq_len(nrow(l$A)), function(i) l$A[i, ]),
    objval = s$objval, solution = s$solution, status = s$status))
})

# --- the non-identifiability LP: 3 models, error rates e, common pairwise phi; min/max P(111) ---
nonIdLp <- function(e, phi) {
  cells <- as.matrix(expand.grid(c3 = 0:1, c2 = 0:1, c1 = 0:1))[, 3:1]  # rows 000..111, model 1 = MSB
  both <- function(i, j) e[i] * e[j] + phi * sqrt(e[i] * (1 - e[i]) * e[j] * (1 - e[j]))
  A <- rbind(rep(1, 8), t(cells), cells[, 1] * cells[, 2], cells[, 1] * cells[, 3], cells[, 2] * cells[, 3])
  rhs <- c(1, e, both(1, 2), both(1, 3), both(2, 3))
  obj <- c(rep(0, 7), 1)
  mn <- lp("min", obj, A, rep("=", 7), rhs); mx <- lp("max", obj, A, rep("=", 7), rhs)
  list(errorRates = e, phi = phi, betaMin = mn$objval, betaMax = mx$objval)
}
nonId <- list(nonIdLp(c(0.3, 0.3, 0.3), 0.3), nonIdLp(c(0.2, 0.3, 0.4), 0.25))

out <- list(generatedBy = "test/reference/stats-orthant.R", R = R.version.string,
            mvtnorm = as.character(packageVersion("mvtnorm")), psych = as.character(packageVersion("psych")),
            lpSolve = as.character(packageVersion("lpSolve")), seed = 20260625,
            orthant = orthant, kappa = kappa, lp = lpOut, nonIdentifiable = nonId)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = FALSE), "test/reference/stats-orthant.json")
cat("wrote test/reference/stats-orthant.json\n")

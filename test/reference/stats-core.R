#!/usr/bin/env Rscript
# Reference values for the pure numerics in stats/ (normal, bivariateNormal, clopperPearson, tetrachoric,
# nearestCorrelation, factor, singleFactorBeta). Generates its own inputs with a fixed seed, stores them
# in the JSON next to R's answers, so the TypeScript tests need no R:
#   Rscript test/reference/stats-core.R        # writes test/reference/stats-core.json
# R 4.x with psych, polycor, Matrix, pbivnorm, mvtnorm, jsonlite.
suppressPackageStartupMessages({
  library(jsonlite); library(psych); library(polycor); library(Matrix); library(pbivnorm); library(mvtnorm)
})
set.seed(20261127)
args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_path <- file.path(dirname(normalizePath(script)), "stats-core.json")
source(file.path(dirname(normalizePath(script)), "tetrachoric-exact.R"))

# ---- normal --------------------------------------------------------------------------------------
xs <- c(-40, -38, -30, -20, -10, -8.5, -5, -3, -1.5, -1, -0.3, 0, 0.2, 1, 1.96, 3, 6, 9)
ps <- c(1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.07, 0.075, 0.2, 0.5, 0.77, 0.925, 0.93, 0.99, 1 - 1e-10)
normal <- list(x = xs, cdf = pnorm(xs), logCdf = pnorm(xs, log.p = TRUE), pdf = dnorm(xs),
               p = ps, quantile = qnorm(ps))

# ---- bivariate normal ------------------------------------------------------------------------------
hk <- c(-8, -5, -3, -1.5, -0.5, 0, 0.7, 2, 4, 7)
rs <- c(-0.9999, -0.999, -0.99, -0.95, -0.925, -0.9, -0.75, -0.5, -0.3, -0.1, 0, 0.1, 0.3, 0.5, 0.75,
        0.9, 0.925, 0.95, 0.99, 0.999, 0.9999)
g <- expand.grid(h = hk, k = hk, r = rs)
g$pbivnorm <- pbivnorm(g$h, g$k, g$r)
# Independent check by one-dimensional quadrature: P(X<h, Y<k) = int_{-inf}^h phi(x) Phi((k - r x)/sqrt(1-r^2)) dx,
# split at the step k/r so the near-singular |r| ~ 1 cases are resolved.
bvn_integrate <- function(h, k, r) {
  s <- sqrt(1 - r^2); fn <- function(x) dnorm(x) * pnorm((k - r * x) / s)
  lo <- -40; b <- k / r
  pts <- sort(unique(c(lo, if (is.finite(b) && b > lo && b < h) c(b - 30 * s, b, b + 30 * s), h)))
  pts <- pts[pts >= lo & pts <= h]
  if (length(pts) < 2) return(0)
  sum(sapply(seq_len(length(pts) - 1), function(i)
    integrate(fn, pts[i], pts[i + 1], rel.tol = 1e-13, abs.tol = 1e-18, subdivisions = 2000L)$value))
}
g$integrate <- mapply(bvn_integrate, g$h, g$k, g$r)
sub <- g[seq(1, nrow(g), by = 7), ]
sub$mvtnorm <- mapply(function(h, k, r) as.numeric(pmvnorm(upper = c(h, k), corr = matrix(c(1, r, r, 1), 2))),
                      sub$h, sub$k, sub$r)
bivariate <- list(h = g$h, k = g$k, r = g$r, pbivnorm = g$pbivnorm, integrate = g$integrate,
                  mvtnorm = list(h = sub$h, k = sub$k, r = sub$r, p = sub$mvtnorm))

# ---- simulated verdict matrices (1 = correct, rows = models) ----------------------------------------
# One-factor probit: Z_im = l_m F_i + sqrt(1 - l_m^2) e_im, model m wrong when Z_im < tau_m.
simulate <- function(M, N, lmin, lmax, emin, emax) {
  l <- runif(M, lmin, lmax); err <- runif(M, emin, emax); tau <- qnorm(err)
  F <- rnorm(N)
  Z <- outer(l, F) + sqrt(1 - l^2) * matrix(rnorm(M * N), M, N)
  (Z >= tau) * 1L                                              # M x N, 1 = correct
}
small <- simulate(8, 200, 0.3, 0.8, 0.15, 0.6)
# zero-cell pairs: model 7 is wrong only where model 8 is right (never both wrong);
# model 6 is wrong on a subset of model 5's errors (no "6 wrong, 5 right" cell)
small[7, ] <- 1L; idx <- which(small[8, ] == 1L); small[7, idx[seq(1, length(idx), by = 3)]] <- 0L
small[6, ] <- 1L; idx <- which(small[5, ] == 0L); small[6, idx[seq(1, length(idx), by = 2)]] <- 0L
large <- simulate(67, 1000, 0.2, 0.85, 0.08, 0.65)
# two strong models with rare errors: zero both-wrong cells arise naturally
large[66, ] <- as.integer(runif(1000) > 0.012); large[67, ] <- as.integer(runif(1000) > 0.015)
large[66, 1:3] <- 0L; large[67, 4:6] <- 0L

tetra_case <- function(Y, label) {
  X <- t(Y)                                                      # items x models, as psych expects
  colnames(X) <- paste0("m", seq_len(ncol(X)))
  t0 <- proc.time()[["elapsed"]]
  tt <- suppressMessages(suppressWarnings(psych::tetrachoric(X, smooth = FALSE)))
  secs <- proc.time()[["elapsed"]] - t0
  # the same likelihood solved to machine precision (tetrachoric-exact.R)
  M <- ncol(X); N <- nrow(X); ex <- exact_tetrachoric(X, 0.5); exact <- ex$exact; corrected <- ex$corrected
  list(label = label, models = M, items = N,
       correct = apply(Y, 1, paste0, collapse = ""),
       psych = unname(tt$rho), tau = unname(tt$tau), exact = exact, correctedPairs = corrected,
       psychSeconds = secs)
}
cases <- list(tetra_case(small, "small-8x200-zero-cells"), tetra_case(large, "large-67x1000"))

# polycor::polychor (two-step ML, no zero-cell correction) as a second opinion on pairs without empty cells
pc_pairs <- list(c(1, 2), c(3, 10), c(20, 40), c(5, 60), c(30, 31))
polychor_ref <- lapply(pc_pairs, function(p) {
  x <- large[p[1], ]; y <- large[p[2], ]
  list(a = p[1], b = p[2], rho = polychor(x, y))
})

# ---- nearPD --------------------------------------------------------------------------------------
npd_case <- function(R, label) {
  np <- nearPD(R, corr = TRUE)
  list(label = label, n = nrow(R), input = unname(R), mat = unname(as.matrix(np$mat)),
       iterations = np$iterations, converged = np$converged, normF = np$normF,
       minEigenBefore = min(eigen(R, symmetric = TRUE, only.values = TRUE)$values),
       minEigenAfter = min(eigen(as.matrix(np$mat), symmetric = TRUE, only.values = TRUE)$values))
}
bad3 <- matrix(c(1, 0.9, 0.7, 0.9, 1, 0.3, 0.7, 0.3, 1), 3)       # Higham's style of inconsistent estimate
bad6 <- diag(6); bad6[upper.tri(bad6)] <- c(0.8, 0.6, 0.9, -0.5, 0.3, 0.7, 0.95, -0.2, 0.4, 0.85, 0.1, 0.6, 0.7, -0.6, 0.5)
bad6 <- bad6 + t(bad6) - diag(6)
Rlarge <- cases[[2]]$psych
npds <- list(npd_case(bad3, "bad3"), npd_case(bad6, "bad6"), npd_case(Rlarge, "large-tetrachoric"))

# ---- psych::fa minres ----------------------------------------------------------------------------
Rpd <- as.matrix(nearPD(Rlarge, corr = TRUE)$mat)
fa_case <- function(R, label) {
  f <- suppressMessages(suppressWarnings(fa(R, nfactors = 1, fm = "minres")))
  list(label = label, n = nrow(R), input = unname(R), loadings = as.numeric(f$loadings))
}
Rsmall_pd <- as.matrix(nearPD(cases[[1]]$psych, corr = TRUE)$mat)
fas <- list(fa_case(Rsmall_pd, "small-tetrachoric-nearPD"), fa_case(Rpd, "large-tetrachoric-nearPD"))

# ---- single-factor all-wrong integral -------------------------------------------------------------
sf_integral <- function(tau, lambda) {
  s <- sqrt(1 - lambda^2)
  f <- function(z) sapply(z, function(zz) exp(dnorm(zz, log = TRUE) + sum(pnorm((tau - lambda * zz) / s, log.p = TRUE))))
  br <- seq(-38, 38, by = 0.25)
  sum(sapply(seq_len(length(br) - 1), function(i)
    integrate(f, br[i], br[i + 1], rel.tol = 1e-13, abs.tol = 0, subdivisions = 1000L)$value))
}
tau_large <- cases[[2]]$tau
sfs <- list(
  list(label = "large", tau = tau_large, lambda = fas[[2]]$loadings),
  list(label = "steep", tau = c(-0.5, 0.2, -1.2, 0.8), lambda = c(0.99, 0.95, 0.995, 0.3)),
  list(label = "negative-loadings", tau = c(-1, -0.3, 0.4), lambda = c(-0.6, 0.7, 0.2)),
  list(label = "deep-tail", tau = rep(-2.5, 12), lambda = rep(0.4, 12))
)
for (i in seq_along(sfs)) sfs[[i]]$integral <- sf_integral(sfs[[i]]$tau, sfs[[i]]$lambda)

# ---- Clopper–Pearson -------------------------------------------------------------------------------
cp <- expand.grid(x = c(0, 1, 3, 37, 52, 199, 200), n = 200, level = c(0.9, 0.95))
cp <- rbind(cp, data.frame(x = c(0, 5, 37, 50), n = 50, level = 0.95), data.frame(x = 52, n = 1000, level = 0.9))
cp$twoLower <- NA; cp$twoUpper <- NA; cp$oneLower <- NA; cp$oneUpper <- NA
for (i in seq_len(nrow(cp))) {
  x <- cp$x[i]; n <- cp$n[i]; lv <- cp$level[i]; a <- 1 - lv
  ci <- binom.test(x, n, conf.level = lv)$conf.int
  cp$twoLower[i] <- ci[1]; cp$twoUpper[i] <- ci[2]
  cp$oneLower[i] <- binom.test(x, n, alternative = "greater", conf.level = lv)$conf.int[1]
  cp$oneUpper[i] <- binom.test(x, n, alternative = "less", conf.level = lv)$conf.int[2]
}

out <- list(
  generated = list(R = R.version.string, psych = as.character(packageVersion("psych")),
                   Matrix = as.character(packageVersion("Matrix")), pbivnorm = as.character(packageVersion("pbivnorm")),
                   mvtnorm = as.character(packageVersion("mvtnorm")), polycor = as.character(packageVersion("polycor")),
                   seed = 20261127),
  normal = normal, bivariate = bivariate, tetrachoric = cases, polychor = polychor_ref,
  nearPD = npds, fa = fas, singleFactor = sfs, clopperPearson = as.list(cp)
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, matrix = "rowmajor"), out_path)
cat("wrote", out_path, "\n")

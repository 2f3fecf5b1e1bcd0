#!/usr/bin/env Rscript
# Reference values for the robustness sweep and the model-clustered intervals (stats/jackknife.ts,
# stats/eigen-clip.ts, the zero-cell correction of stats/tetrachoric.ts). Inputs are generated here with a fixed
# seed and stored in the JSON next to R's answers, so the TypeScript tests need no R:
#   Rscript test/reference/stats-sweeps.R        # writes test/reference/stats-sweeps.json
# R 4.x with psych, pbivnorm, jsonlite.
suppressPackageStartupMessages({ library(jsonlite); library(psych); library(pbivnorm) })
set.seed(20261204)
args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_path <- file.path(dirname(normalizePath(script)), "stats-sweeps.json")
source(file.path(dirname(normalizePath(script)), "tetrachoric-exact.R"))

# ---- Student t quantiles ---------------------------------------------------------------------------
qt_p <- c(0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.05, 0.001)
qt_df <- c(1, 2, 3, 5, 15, 16, 40, 70, 1000)
g <- expand.grid(p = qt_p, df = qt_df)
qts <- list(p = g$p, df = g$df, q = qt(g$p, g$df))

# ---- jackknife ---------------------------------------------------------------------------------------
# (1) the mean: se = sd / sqrt(n), the interval is Student's t interval (t.test).
x <- round(rexp(12, 1 / 3) + 0.5, 3)
mean_case <- list(x = x, level = 0.9, se = sd(x) / sqrt(length(x)),
                  interval = as.numeric(t.test(x, conf.level = 0.9)$conf.int))
# (2) a ratio of means over paired units, on the log scale, by the textbook formulas written out.
y <- round(x * runif(12, 0.5, 1.5) + rexp(12), 3)
theta <- mean(x) / mean(y)
loo <- sapply(seq_along(x), function(i) mean(x[-i]) / mean(y[-i]))
n <- length(x)
lg <- log(loo)
se_log <- sqrt((n - 1) / n * sum((lg - mean(lg))^2))
tq <- qt(0.95, n - 1)
ratio_case <- list(x = x, y = y, level = 0.9, estimate = theta, leaveOneOut = loo, seLog = se_log,
                   bias = (n - 1) * (mean(loo) - theta),
                   interval = exp(log(theta) + c(-1, 1) * tq * se_log))

# ---- eigenvalue clipping: psych::cor.smooth ---------------------------------------------------------
bad3 <- matrix(c(1, 0.9, 0.7, 0.9, 1, 0.3, 0.7, 0.3, 1), 3)
bad6 <- diag(6); bad6[upper.tri(bad6)] <- c(0.8, 0.6, 0.9, -0.5, 0.3, 0.7, 0.95, -0.2, 0.4, 0.85, 0.1, 0.6, 0.7, -0.6, 0.5)
bad6 <- bad6 + t(bad6) - diag(6)
pd4 <- matrix(c(1, 0.5, 0.3, 0.2, 0.5, 1, 0.4, 0.1, 0.3, 0.4, 1, 0.25, 0.2, 0.1, 0.25, 1), 4)
smooth_case <- function(R, label) {
  S <- suppressWarnings(psych::cor.smooth(R))
  list(label = label, n = nrow(R), input = unname(R), smoothed = unname(S),
       minEigenBefore = min(eigen(R, symmetric = TRUE, only.values = TRUE)$values),
       minEigenAfter = min(eigen(S, symmetric = TRUE, only.values = TRUE)$values))
}
smooths <- list(smooth_case(bad3, "bad3"), smooth_case(bad6, "bad6"), smooth_case(pd4, "pd4"))

# ---- tetrachoric with other zero-cell corrections ------------------------------------------------
# 6 models x 150 items (rows = models, 1 = correct) with two empty cells; psych::tetrachoric(correct = c) and the
# same likelihood solved to machine precision (tetrachoric-exact.R).
M <- 6; N <- 150
l <- runif(M, 0.3, 0.8); tau0 <- qnorm(runif(M, 0.15, 0.5)); F <- rnorm(N)
Z <- outer(l, F) + sqrt(1 - l^2) * matrix(rnorm(M * N), M, N)
Y <- (Z >= tau0) * 1L
Y[6, ] <- 1L; idx <- which(Y[5, ] == 1L); Y[6, idx[seq(1, length(idx), by = 3)]] <- 0L   # never wrong with 5
Y[4, ] <- 1L; idx <- which(Y[3, ] == 0L); Y[4, idx[seq(1, length(idx), by = 2)]] <- 0L   # wrong only where 3 is
tetra_case <- function(corr) {
  X <- t(Y); colnames(X) <- paste0("m", seq_len(M))
  tt <- suppressMessages(suppressWarnings(psych::tetrachoric(X, correct = corr, smooth = FALSE)))
  ex <- exact_tetrachoric(X, corr)
  list(correction = corr, psych = unname(tt$rho), exact = ex$exact, correctedPairs = ex$corrected)
}
tetra <- list(correct = apply(Y, 1, paste0, collapse = ""), cases = list(tetra_case(0.1), tetra_case(0.01)))

writeLines(toJSON(list(
  generated_by = "test/reference/stats-sweeps.R", R = R.version.string,
  psych = as.character(packageVersion("psych")),
  qt = qts, jackknife = list(mean = mean_case, ratio = ratio_case), corSmooth = smooths, tetrachoric = tetra
), digits = NA, auto_unbox = TRUE, pretty = TRUE), out_path)
cat("wrote", out_path, "\n")

#!/usr/bin/env Rscript
# Reference values for the analyses' numerics (stats/triplet-vote.ts, stats/logistic.ts), computed independently
# in base R: lm() for OLS, optim(BFGS) on the penalised log-likelihoods, and a from-scratch majority vote over
# every 3-model ensemble with its leave-one-model-out jackknife. Inputs are generated here with a fixed seed and
# stored next to R's answers, so the TypeScript tests need no R:
#   Rscript test/reference/analyses.R        # writes test/reference/analyses.json
suppressPackageStartupMessages(library(jsonlite))
set.seed(20261204)
args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_path <- file.path(dirname(normalizePath(script)), "analyses.json")

# ---- OLS with two regressors --------------------------------------------------------------------------------
n <- 40
x1 <- runif(n); x2 <- rnorm(n)
y <- 0.3 - 0.8 * x1 + 0.25 * x2 + rnorm(n, sd = 0.2)
fit <- summary(lm(y ~ x1 + x2))
ols <- list(y = y, x1 = x1, x2 = x2, coef = unname(fit$coefficients[, 1]), se = unname(fit$coefficients[, 2]), r2 = fit$r.squared)

# ---- binary L2 logistic regression, intercept unpenalised ---------------------------------------------------
n <- 60; p <- 4
X <- matrix(round(rnorm(n * p), 3), n, p)
X[abs(X) < 0.4] <- 0                                  # some zeros, as in sparse features
yb <- as.integer(runif(n) < plogis(0.4 + X %*% c(1.2, -0.7, 0, 0.5)))
lambda <- 0.05
f_bin <- function(th) { b <- th[p + 1]; w <- th[1:p]; z <- b + X %*% w; s <- 2 * yb - 1
  mean(log1p(exp(-s * z))) + lambda / 2 * sum(w^2) }
g_bin <- function(th) { b <- th[p + 1]; w <- th[1:p]; z <- as.vector(b + X %*% w); r <- plogis(z) - yb
  c(as.vector(t(X) %*% r) / n + lambda * w, mean(r)) }
ob <- optim(rep(0, p + 1), f_bin, g_bin, method = "BFGS", control = list(reltol = 1e-15, maxit = 10000))
binary <- list(X = X, y = yb, lambda = lambda, weights = ob$par[1:p], intercept = ob$par[p + 1], value = ob$value)

# ---- multinomial L2 logistic regression -------------------------------------------------------------------------
K <- 3; p3 <- 3
X3 <- matrix(round(rnorm(n * p3), 3), n, p3)
B <- matrix(c(1, -1, 0, 0.5, 0.5, -1, -0.8, 0.2, 0.9), p3, K)
P <- exp(X3 %*% B); P <- P / rowSums(P)
y3 <- apply(P, 1, function(pr) sample.int(K, 1, prob = pr)) - 1L
unpack <- function(th) list(W = matrix(th[1:(K * p3)], p3, K), b = th[K * p3 + 1:K])   # W column c = class c
f_soft <- function(th) { u <- unpack(th); S <- sweep(X3 %*% u$W, 2, u$b, "+")
  lse <- apply(S, 1, function(s) max(s) + log(sum(exp(s - max(s)))))
  mean(lse - S[cbind(1:n, y3 + 1)]) + lambda / 2 * sum(u$W^2) }
g_soft <- function(th) { u <- unpack(th); S <- sweep(X3 %*% u$W, 2, u$b, "+")
  Pr <- exp(S - apply(S, 1, max)); Pr <- Pr / rowSums(Pr); Y <- matrix(0, n, K); Y[cbind(1:n, y3 + 1)] <- 1
  R <- Pr - Y; c(as.vector(t(X3) %*% R) / n + lambda * as.vector(u$W), colMeans(R)) }
os <- optim(rep(0, K * p3 + K), f_soft, g_soft, method = "BFGS", control = list(reltol = 1e-15, maxit = 10000))
u <- unpack(os$par)
softmax <- list(X = X3, y = y3, classes = K, lambda = lambda, weights = t(u$W), intercepts = u$b, value = os$value)

# ---- majority vote of every 3-model ensemble, leave-one-model-out jackknife ----------------------------------------
M <- 7; N <- 50
ability <- sort(runif(M, 0.45, 0.9), decreasing = TRUE)
hard <- runif(N)
correct <- t(sapply(ability, function(a) as.integer(runif(N) < a * (1.2 - 0.6 * hard))))
answers <- matrix("", M, N)
for (m in 1:M) for (i in 1:N) answers[m, i] <- if (correct[m, i] == 1) "right" else sample(c("w1", "w2", "w3"), 1, prob = c(0.6, 0.3, 0.1))
answers[2, 5] <- NA; answers[4, 9] <- NA                   # no answer
acc <- rowMeans(correct)
ord <- order(-acc); correct <- correct[ord, ]; answers <- answers[ord, ]; acc <- acc[ord]
E <- 1 - correct
phi <- function(a, b) { pa <- mean(a); pb <- mean(b); (mean(a * b) - pa * pb) / sqrt(pa * (1 - pa) * pb * (1 - pb)) }
vote_item <- function(ans, cor) {
  key <- ifelse(is.na(ans), NA, ifelse(cor == 1, "<right>", ans))
  tab <- table(key[!is.na(key)])
  if (length(tab) && max(tab) >= 2) return(as.integer(names(tab)[which.max(tab)] == "<right>"))
  first <- which(!is.na(ans))[1]
  if (is.na(first)) 0L else cor[first]
}
trip <- t(combn(M, 3))
stats <- t(apply(trip, 1, function(t) {
  v <- mean(sapply(1:N, function(i) vote_item(answers[t, i], correct[t, i])))
  best <- max(acc[t]); cover <- mean(colSums(correct[t, , drop = FALSE]) > 0)
  c(vote = v, gain = v - best, rho = mean(c(phi(E[t[1], ], E[t[2], ]), phi(E[t[1], ], E[t[3], ]), phi(E[t[2], ], E[t[3], ]))), headroom = cover - best)
}))
statistic <- function(rows) { s <- stats[rows, , drop = FALSE]; f <- lm(s[, "gain"] ~ s[, "rho"] + s[, "headroom"])
  c(mean(s[, "gain"]), mean(s[, "gain"] < -1e-12), unname(coef(f)[2]), unname(coef(f)[3])) }
full <- statistic(1:nrow(trip))
loo <- t(sapply(1:M, function(m) statistic(which(!apply(trip, 1, function(t) m %in% t)))))
jse <- sqrt((M - 1) / M * colSums(sweep(loo, 2, colMeans(loo))^2))
vote <- list(answers = answers, correct = correct, triplets = trip - 1L, vote = unname(stats[, "vote"]), gain = unname(stats[, "gain"]),
             rho = unname(stats[, "rho"]), headroom = unname(stats[, "headroom"]), value = full, leaveOneOut = loo, se = jse)

write_json(list(ols = ols, binary = binary, softmax = softmax, vote = vote), out_path, digits = NA, auto_unbox = TRUE, matrix = "rowmajor", na = "null")
cat("wrote", out_path, "\n")

#!/usr/bin/env Rscript
# Reference values for the few-dimension part of test/stats/orthant-coverage.test.ts: orthant probabilities in 3, 4,
# 5 and 8 dimensions with correlation matrices that are NOT one-factor (so the single-factor control variate does not
# make them exact) and mixed signs, from mvtnorm::pmvnorm (GenzBretz) at an absolute error 1e-8, and in 3 dimensions
# also the closed form 1/8 + (asin r12 + asin r13 + asin r23) / (4 pi) at upper = 0. Run from the project root
# (~5 minutes):  Rscript test/reference/orthant-lowdim.R   — writes test/reference/orthant-lowdim.json.
suppressPackageStartupMessages({ library(mvtnorm); library(jsonlite) })
set.seed(20261206)
randomCorr <- function(d) {
  A <- matrix(runif(d * d, -0.6, 1.4), d)
  cov2cor(A %*% t(A))
}
problems <- list()
R3 <- matrix(c(1, -0.2, 0.1, -0.2, 1, 0.4, 0.1, 0.4, 1), 3)
problems[[1]] <- list(name = "closed-form-3", upper = c(0, 0, 0), corr = R3,
                      closed = 1 / 8 + (asin(-0.2) + asin(0.1) + asin(0.4)) / (4 * pi))
for (d in c(3, 4, 5, 5, 8)) {
  problems[[length(problems) + 1]] <- list(name = sprintf("random-%d-%d", d, length(problems)),
                                           upper = round(seq(-0.5, 0.7, length.out = d), 3), corr = randomCorr(d))
}
out <- lapply(problems, function(p) {
  d <- length(p$upper)
  v <- pmvnorm(upper = p$upper, corr = p$corr, algorithm = GenzBretz(maxpts = 2e9, abseps = 1e-8, releps = 0))
  value <- if (is.null(p$closed)) v[1] else p$closed
  err <- if (is.null(p$closed)) attr(v, "error") else 1e-15
  cat(sprintf("%s: %.12g +- %.2g (pmvnorm %.12g)\n", p$name, value, err, v[1]))
  list(name = p$name, dim = d, upper = p$upper, corr = as.vector(p$corr), value = value, error = err,
       mvtnorm = as.character(packageVersion("mvtnorm")))
})
writeLines(toJSON(list(problems = out), digits = NA, auto_unbox = TRUE), "test/reference/orthant-lowdim.json")

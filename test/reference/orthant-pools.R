#!/usr/bin/env Rscript
# High-precision reference values for test/stats/orthant-coverage.test.ts: mvtnorm::pmvnorm (GenzBretz) on the
# problems of test/reference/orthant-pools-input.json (written by orthant-pools.ts from the data mirror), at an
# absolute error 1e-6 for the pools and 1e-4 of the probability for the small ("-tail") ones — one to two orders
# of magnitude below the errors the coverage test asks of ours. Run from the project root (takes ~30 min):
#   Rscript test/reference/orthant-pools.R
# Writes test/reference/orthant-pools.json (inputs copied in, so the test reads exactly what R integrated).
suppressPackageStartupMessages({ library(mvtnorm); library(jsonlite) })
input <- fromJSON("test/reference/orthant-pools-input.json", simplifyVector = FALSE)$problems
out <- lapply(input, function(p) {
  d <- p$dim; upper <- unlist(p$upper); R <- matrix(unlist(p$corr), d)
  rough <- pmvnorm(upper = upper, corr = R, algorithm = GenzBretz(maxpts = 1e6, abseps = 1e-4, releps = 0))[1]
  abseps <- if (grepl("-tail$", p$name)) rough * 1e-4 else 1e-6
  set.seed(20260625)
  t0 <- proc.time()[["elapsed"]]
  v <- pmvnorm(upper = upper, corr = R, algorithm = GenzBretz(maxpts = 2e9, abseps = abseps, releps = 0))
  secs <- proc.time()[["elapsed"]] - t0
  cat(sprintf("%s (%d): %.12g +- %.3g (%s) %.0fs\n", p$name, d, v[1], attr(v, "error"), attr(v, "msg"), secs))
  list(name = p$name, dim = d, upper = unlist(p$upper), corr = unlist(p$corr), value = v[1], error = attr(v, "error"),
       msg = attr(v, "msg"), abseps = abseps, seconds = secs, mvtnorm = as.character(packageVersion("mvtnorm")))
})
writeLines(toJSON(list(problems = out), digits = NA, auto_unbox = TRUE), "test/reference/orthant-pools.json")

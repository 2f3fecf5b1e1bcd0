#!/usr/bin/env Rscript
# High-precision reference values for test/stats/orthant-coverage.test.ts: mvtnorm::pmvnorm (GenzBretz) on the
# problems of test/reference/orthant-pools-input.json (written by orthant-pools.ts from the data mirror), at an
# absolute error 1e-6 for the pools and 1e-3 of the probability for the small ("-tail") ones — at least ten times
# below the errors the coverage test asks of ours (2e-5 absolute; 1e-2 relative). Run from the project root:
#   Rscript test/reference/orthant-pools.R
# (~30 min on one core: lcb 4 min, math-l5 6, gsm 1, gpqa-mc 16). Writes test/reference/orthant-pools.json after
# each problem (inputs copied in, so the test reads exactly what R integrated) and resumes from it: a problem already
# there with the same inputs and abseps is kept, so an interrupted run continues where it stopped.
suppressPackageStartupMessages({ library(mvtnorm); library(jsonlite) })
input <- fromJSON("test/reference/orthant-pools-input.json", simplifyVector = FALSE)$problems
outFile <- "test/reference/orthant-pools.json"
done <- if (file.exists(outFile)) fromJSON(outFile, simplifyVector = FALSE)$problems else list()
out <- list()
for (p in input) {
  d <- p$dim; upper <- unlist(p$upper); R <- matrix(unlist(p$corr), d)
  tail <- grepl("-tail$", p$name)
  old <- Filter(function(q) q$name == p$name && isTRUE(all.equal(unlist(q$upper), upper)) &&
                  isTRUE(all.equal(unlist(q$corr), unlist(p$corr))), done)
  if (length(old) == 1 && (!tail || isTRUE(old[[1]]$relative == 1e-3))) {
    out[[length(out) + 1]] <- old[[1]]
    cat(sprintf("%s (%d): kept %.12g +- %.3g\n", p$name, d, old[[1]]$value, old[[1]]$error))
    next
  }
  rough <- pmvnorm(upper = upper, corr = R, algorithm = GenzBretz(maxpts = 1e6, abseps = 1e-4, releps = 0))[1]
  abseps <- if (tail) rough * 1e-3 else 1e-6
  set.seed(20260625)
  t0 <- proc.time()[["elapsed"]]
  v <- pmvnorm(upper = upper, corr = R, algorithm = GenzBretz(maxpts = 2e9, abseps = abseps, releps = 0))
  secs <- proc.time()[["elapsed"]] - t0
  cat(sprintf("%s (%d): %.12g +- %.3g (%s) %.0fs\n", p$name, d, v[1], attr(v, "error"), attr(v, "msg"), secs))
  out[[length(out) + 1]] <- list(name = p$name, dim = d, upper = upper, corr = unlist(p$corr), value = v[1],
    error = attr(v, "error"), msg = attr(v, "msg"), abseps = abseps, relative = if (tail) 1e-3 else NULL,
    seconds = secs, mvtnorm = as.character(packageVersion("mvtnorm")))
  writeLines(toJSON(list(problems = c(out, Filter(function(q) !(q$name %in% sapply(out, `[[`, "name")), done))),
                    digits = NA, auto_unbox = TRUE, null = "null"), outFile)
}
writeLines(toJSON(list(problems = out), digits = NA, auto_unbox = TRUE), outFile)

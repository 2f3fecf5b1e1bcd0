// The common-mode-atom signature on a beta(k) curve: per pool size k, observed beta of the best-k models over
// what the single-factor Gaussian copula (calibrated to tetrachoric rho) predicts for the same k models.
// Under a common shock (every model fails together on a share omega of items) observed beta -> omega while the
// copula's prediction -> 0, so the ratio grows with k; under smooth (single-factor) dependence it stays near 1.
import type { BetaKCurve } from "./beta-k-curve.js";

/**
 * Why a ratio is (or is not) a number:
 * - `ok`: the prediction is positive; ratio = observed / predicted (0 when nothing is observed all-wrong:
 *   the copula prices an all-wrong mass the data do not show);
 * - `both-zero`: observed and predicted are both 0 — 0/0, nothing to compare, ratio null;
 * - `unbounded`: the prediction is exactly 0 (a never-wrong model in the subset, or underflow) while the data
 *   show all-wrong items — the underpricing has no finite ratio, ratio null;
 * - `no-prediction`: the pool has no single-factor copula (every model always wrong), ratio null.
 */
export type AtomRatioStatus = "ok" | "both-zero" | "unbounded" | "no-prediction";

export interface AtomRatio { ratio: number | null; status: AtomRatioStatus }

/** observed / predicted with the zero cases named (see AtomRatioStatus); never a silent division by zero. */
export function atomRatio(observed: number, predicted: number | null): AtomRatio {
  if (!(observed >= 0 && observed <= 1)) throw new Error(`atomRatio: observed beta must be in [0, 1], got ${observed}`);
  if (predicted === null) return { ratio: null, status: "no-prediction" };
  if (!(predicted >= 0 && predicted <= 1)) throw new Error(`atomRatio: predicted beta must be in [0, 1], got ${predicted}`);
  if (predicted > 0) return { ratio: observed / predicted, status: "ok" };
  return observed === 0 ? { ratio: null, status: "both-zero" } : { ratio: null, status: "unbounded" };
}

export interface AtomRatioPoint extends AtomRatio {
  k: number;
  /** Observed beta of the best-k models. */
  observed: number;
  /** Single-factor copula beta of the same k models. */
  predicted: number | null;
}

export interface AtomRatioCurve {
  pool: string;
  models: number;
  nItems: number;
  points: AtomRatioPoint[];
}

/** The ratio at every k of a beta(k) curve (observed best-k over the single-factor best-k prediction). */
export function atomRatioCurve(curve: BetaKCurve): AtomRatioCurve {
  return {
    pool: curve.pool,
    models: curve.models.length,
    nItems: curve.nItems,
    points: curve.points.map((p) => ({ k: p.k, observed: p.best, predicted: p.sfBest, ...atomRatio(p.best, p.sfBest) })),
  };
}

/** The ratio at pool size k; null when k is not on the curve or the ratio is not a number there. */
export function ratioAt(curve: AtomRatioCurve, k: number): number | null {
  return curve.points.find((p) => p.k === k)?.ratio ?? null;
}

/** The largest k of the curve (the whole pool). */
export const kMax = (curve: AtomRatioCurve): number => Math.max(...curve.points.map((p) => p.k));

/** The small-pool reference of the growth: k = 5, or the whole pool when it has fewer models (as `betak.flatten`). */
export const kSmall = (curve: AtomRatioCurve): number => Math.min(5, kMax(curve));

/**
 * Growth of the ratio with pool size: ratio(kmax) / ratio(kSmall). Null when either ratio is not a number or the
 * small-pool ratio is 0 (no finite growth). Near 1 under smooth dependence; > 1 is the common-mode-atom signature.
 */
export function ratioGrowth(curve: AtomRatioCurve): number | null {
  const from = ratioAt(curve, kSmall(curve)), to = ratioAt(curve, kMax(curve));
  return from === null || to === null || from === 0 ? null : to / from;
}

/** A raw pool's curve with the audited curve of the same pool, if one was given. */
export interface PoolPair<T> { pool: string; raw: T; audited: T | null }

/**
 * Pairs raw and audited curves by pool name: the audited curve of raw pool P is the one whose pool is
 * P + auditedSuffix (with suffix "" the audited curve carries the same pool name). Every pool appears once per
 * side; an audited curve with no raw counterpart, or a raw curve that looks audited, is an error (a wiring mistake).
 */
export function pairByPool<T extends { pool: string }>(raw: T[], audited: T[], auditedSuffix: string): PoolPair<T>[] {
  const once = (list: T[], side: string) => {
    const byPool = new Map<string, T>();
    for (const c of list) {
      if (byPool.has(c.pool)) throw new Error(`${side} input: pool "${c.pool}" appears twice`);
      byPool.set(c.pool, c);
    }
    return byPool;
  };
  const rawBy = once(raw, "raw"), auditedBy = once(audited, "audited");
  if (auditedSuffix !== "") {
    const misplaced = [...rawBy.keys()].filter((p) => p.endsWith(auditedSuffix));
    if (misplaced.length) throw new Error(`raw input holds audited-looking pool(s) ${misplaced.join(", ")} (suffix "${auditedSuffix}"): list raw curves explicitly`);
  }
  const used = new Set<string>();
  const pairs = [...rawBy.values()].map((r) => {
    const a = auditedBy.get(r.pool + auditedSuffix) ?? null;
    if (a) used.add(a.pool);
    return { pool: r.pool, raw: r, audited: a };
  });
  const orphans = [...auditedBy.keys()].filter((p) => !used.has(p));
  if (orphans.length) {
    throw new Error(`audited pool(s) ${orphans.join(", ")} match no raw pool (raw: ${[...rawBy.keys()].join(", ") || "none"}; auditedSuffix "${auditedSuffix}")`);
  }
  return pairs;
}

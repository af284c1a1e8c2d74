/**
 * One-sided Mann-Whitney U test: how likely is it, if both samples come from one distribution, that `b` ranks
 * at least this far above `a`? Build times are skewed and have outliers, so a rank test rather than a t-test.
 * Exact (counting every arrangement) without ties; with ties, the normal approximation with tie and
 * continuity corrections.
 */
export function mannWhitneyGreater(a: number[], b: number[]): { u: number; p: number; exact: boolean } {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) throw new Error('mannWhitneyGreater needs two non-empty samples');
  const pooled = [...a.map((x) => ({ x, fromB: false })), ...b.map((x) => ({ x, fromB: true }))].sort((p, q) => p.x - q.x);
  // Mid-ranks: tied values share the mean of the ranks they span.
  const ranks: number[] = new Array<number>(pooled.length);
  const tieSizes: number[] = [];
  for (let i = 0; i < pooled.length; ) {
    let j = i;
    while (j + 1 < pooled.length && pooled[j + 1]!.x === pooled[i]!.x) j++;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    tieSizes.push(j - i + 1);
    i = j + 1;
  }
  const rankSumB = pooled.reduce((sum, p, i) => sum + (p.fromB ? ranks[i]! : 0), 0);
  const u = rankSumB - (m * (m + 1)) / 2;
  if (tieSizes.every((t) => t === 1)) return { u, p: exactUpperTail(m, n, u), exact: true };
  const mean = (n * m) / 2;
  const total = n + m;
  const tieTerm = tieSizes.reduce((s, t) => s + t ** 3 - t, 0) / (total * (total - 1));
  const sd = Math.sqrt(((n * m) / 12) * (total + 1 - tieTerm));
  if (sd === 0) return { u, p: 1, exact: false };
  return { u, p: 1 - normalCdf((u - mean - 0.5) / sd), exact: false };
}

/** P(U >= u) for sample sizes m and n without ties, by counting arrangements (fine up to a few hundred builds). */
function exactUpperTail(m: number, n: number, u: number): number {
  // counts[j][k]: arrangements of j values of b among j + i values with U = k, built up one i at a time.
  let prev: number[][] = Array.from({ length: m + 1 }, () => [1]);
  for (let i = 1; i <= n; i++) {
    const next: number[][] = [[1]];
    for (let j = 1; j <= m; j++) {
      // The largest value is from a (U unchanged: counts[j] of i - 1) or from b (it beats all i values of a).
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      const fromA = prev[j]!;
      const fromB = next[j - 1]!;
      for (let k = 0; k < size; k++) row[k] = (fromA[k] ?? 0) + (k >= i ? (fromB[k - i] ?? 0) : 0);
      next.push(row);
    }
    prev = next;
  }
  const dist = prev[m]!;
  const total = dist.reduce((s, c) => s + c, 0);
  const tail = dist.reduce((s, c, k) => s + (k >= u ? c : 0), 0);
  return tail / total;
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26 erf, error below 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

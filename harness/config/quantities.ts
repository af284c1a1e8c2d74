import { z } from 'zod';

/** Human quantities in config files: "150 MB", "5%", "2 s". SI byte units match the tables; IEC ones are exact too. */

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

const MS_UNITS: Record<string, number> = { ms: 1, s: 1000, min: 60_000 };

const QUANTITY = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z%]*)\s*$/;

function parse(text: string, units: Record<string, number>, fallbackUnit?: string): number | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const unit = (m[2] || fallbackUnit || '').toLowerCase();
  const factor = units[unit];
  return factor === undefined ? undefined : Math.round(Number(m[1]) * factor);
}

/** "150 MB" -> 150000000; a bare number is bytes. Undefined when it is not a size. */
export const parseBytes = (text: string) => parse(text, BYTE_UNITS, 'b');
/** "2 s" -> 2000; a bare number is milliseconds. */
export const parseDuration = (text: string) => parse(text, MS_UNITS, 'ms');
/** "5%" -> 5, at most 3 decimals (so comparisons stay exact). The % sign is required: 5 is neither 5 % nor 500 %. */
export function parsePercent(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d{1,3})?)\s*%\s*$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** A zod schema reading a quantity from a string (and, when numbers are allowed, a non-negative integer). */
function quantity(parser: (text: string) => number | undefined, expected: string, numbers = true) {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const parsed = typeof value === 'string' ? parser(value) : numbers && Number.isInteger(value) && value >= 0 ? value : undefined;
    if (parsed === undefined) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not ${expected}` });
      return z.NEVER;
    }
    return parsed;
  });
}

export const bytesSchema = quantity(parseBytes, 'a size such as "150 MB", "500 kB", "1.5 GiB" or a number of bytes');
export const durationSchema = quantity(parseDuration, 'a duration such as "2 s", "500 ms" or a number of milliseconds');
// A bare number is refused: 5 could mean 5 % or 500 %.
export const percentSchema = quantity(parsePercent, 'a percentage such as "5%" or "2.5%" (a string with the % sign, at most 3 decimals)', false);

const RATE_PREFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30, ti: 2 ** 40 };
const RATE = /^\s*(\d+(?:\.\d+)?)\s*(ki|mi|gi|ti|k|m|g|t)?([a-z/]+)\s*$/i;

/** Bits or bytes per unit of a rate. The b/B decides, never a guess: "bit", "bit/s", "bps", "b/s" are bits; "B/s", "Bps" bytes. */
function rateUnit(unit: string): 1 | 8 | undefined {
  if (unit === 'B/s' || unit === 'Bps') return 8;
  if (unit === 'b/s' || ['bit', 'bit/s', 'bits', 'bits/s'].includes(unit.toLowerCase()) || unit === 'bps') return 1;
  return undefined;
}

/**
 * A bandwidth in bits per second: "100Mbit", "100 Mbit/s", "1Gbps", "500kbit", "12.5MB/s" (bytes), "10MiB/s".
 * SI prefixes are powers of 1000 (as network speeds are sold), IEC ones (Ki, Mi, Gi, Ti) powers of 1024; a
 * prefix's case does not matter, the unit's b or B does. A bare "100M" or "100MB" (a size, not a rate), an
 * ambiguous "100MBPS" or a rate of 0 is refused (undefined).
 */
export function parseBandwidth(text: string): number | undefined {
  const m = RATE.exec(text);
  if (!m) return undefined;
  const factor = rateUnit(m[3]!);
  if (factor === undefined) return undefined;
  const bits = Number(m[1]) * RATE_PREFIX[(m[2] ?? '').toLowerCase()]! * factor;
  return bits >= 1 && Number.isFinite(bits) ? Math.round(bits) : undefined;
}

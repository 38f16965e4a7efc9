/**
 * GetId calls per 1,000 identity-resolving API requests, before (a cache per
 * container only, no expiry, up to 1,000 entries) and after (a 5-minute cache
 * per container in front of the shared identity map table), replaying the same
 * request sequence against both. No AWS: just counting.
 */

/** One API request: who, which function (each has its own containers), which container, when. */
export interface SimRequest {
  readonly user: number;
  readonly fn: number;
  readonly container: number;
  readonly atMs: number;
}

export interface IdentityCallCounts {
  readonly requests: number;
  readonly beforeGetId: number;
  readonly afterGetId: number;
  readonly afterGetItem: number;
  readonly afterPutItem: number;
}

const MAX_CACHED = 1000;

/**
 * Counts identity look-ups for `requests`. `alreadyMapped(user)` says whether
 * the shared table holds the user before the replay starts.
 */
export function countIdentityCalls(requests: Iterable<SimRequest>, cacheTtlMs: number, alreadyMapped: (user: number) => boolean): IdentityCallCounts {
  const before = new Map<string, Set<number>>();
  const after = new Map<string, Map<number, number>>();
  const table = new Set<number>();
  let count = 0;
  let beforeGetId = 0;
  let afterGetId = 0;
  let afterGetItem = 0;
  let afterPutItem = 0;
  for (const r of requests) {
    count++;
    const container = `${r.fn}/${r.container}`;
    // Before: a per-container map, oldest evicted first, never expiring.
    let seen = before.get(container);
    if (seen === undefined) before.set(container, (seen = new Set()));
    if (!seen.has(r.user)) {
      beforeGetId++;
      if (seen.size >= MAX_CACHED) seen.delete(seen.values().next().value as number);
      seen.add(r.user);
    }
    // After: the per-container TTL cache, then the table, then GetId and the write.
    let cache = after.get(container);
    if (cache === undefined) after.set(container, (cache = new Map()));
    const expiresAt = cache.get(r.user);
    if (expiresAt !== undefined && expiresAt > r.atMs) continue;
    afterGetItem++;
    if (!table.has(r.user) && !alreadyMapped(r.user)) {
      afterGetId++;
      afterPutItem++;
      table.add(r.user);
    }
    cache.delete(r.user);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as number);
    cache.set(r.user, r.atMs + cacheTtlMs);
  }
  return { requests: count, beforeGetId, afterGetId, afterGetItem, afterPutItem };
}

/** Deterministic PRNG (mulberry32), so every run prints the same table. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PeakHour {
  /** Users active in the hour, each sending `requestsPerUser` identity-resolving requests. */
  readonly users: number;
  readonly requestsPerUser: number;
  /** Share of requests per function, and the warm containers of each. */
  readonly functions: readonly { readonly share: number; readonly containers: number }[];
  /** Share of the hour's users not yet in the table (signed up today). */
  readonly unmappedShare: number;
  readonly cacheTtlMs: number;
  readonly seed: number;
}

/** A peak hour: requests in random order and times, each to a random container of its function. */
export function* peakHourRequests(hour: PeakHour): Generator<SimRequest> {
  const random = seededRandom(hour.seed);
  const total = hour.users * hour.requestsPerUser;
  const cumulative = hour.functions.map((_, i) => hour.functions.slice(0, i + 1).reduce((s, f) => s + f.share, 0));
  const shareSum = cumulative[cumulative.length - 1];
  for (let i = 0; i < total; i++) {
    const pick = random() * shareSum;
    const fn = cumulative.findIndex((c) => pick < c);
    yield {
      user: Math.floor(random() * hour.users),
      fn,
      container: Math.floor(random() * hour.functions[fn].containers),
      atMs: Math.floor((i / total) * 3_600_000),
    };
  }
}

/** GetId (and table) calls per 1,000 requests for one simulated peak hour. */
export function simulatePeakHour(hour: PeakHour): IdentityCallCounts {
  const unmapped = Math.round(hour.users * hour.unmappedShare);
  return countIdentityCalls(peakHourRequests(hour), hour.cacheTtlMs, (user) => user >= unmapped);
}

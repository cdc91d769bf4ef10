/**
 * Trial order. Balanced: blocks alternate forward and reverse (A B | B A | A B …), so adjacent
 * trials of two variants form pairs and slow drift of the machine cancels within each pair.
 * Random: each block is a seeded shuffle (reproducible with the profile's seed).
 */

/** Order of variant indexes for block `block` (0-based) of `variants` variants. */
export function blockOrder(variants: number, block: number, mode: 'balanced' | 'random', seed: number): number[] {
  const forward = Array.from({ length: variants }, (_, i) => i);
  if (mode === 'balanced') return block % 2 === 0 ? forward : forward.reverse();
  const random = mulberry32(seed * 1_000_003 + block);
  for (let i = forward.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [forward[i], forward[j]] = [forward[j], forward[i]];
  }
  return forward;
}

/** The whole schedule of `trials` blocks: [variant index, trial index] in run order. */
export function schedule(
  variants: number,
  trials: number,
  mode: 'balanced' | 'random',
  seed: number,
  firstBlock = 0,
): [number, number][] {
  const out: [number, number][] = [];
  for (let block = firstBlock; block < firstBlock + trials; block++)
    for (const variant of blockOrder(variants, block, mode, seed)) out.push([variant, block]);
  return out;
}

/** A small, fast, seedable PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

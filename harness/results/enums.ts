// The results schema's enums as plain values, so code that only needs the names (the argument parser)
// does not load zod: `stagebench --help` starts without it.

export const CACHE_MODES = ['cold', 'warm', 'incremental'] as const;
export const BUILDERS = ['buildkit', 'classic'] as const;

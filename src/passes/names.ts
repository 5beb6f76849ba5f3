// The passes by name, apart from their code: the command line parses `--passes` with these
// before it loads any pass.

/** The graph rewrites, in the order they run: each one leaves the next less to do. */
export const PASS_ORDER = ['drop-dropout', 'fold-batchnorm', 'fuse-activation', 'fuse-concat'] as const;

export type PassName = (typeof PASS_ORDER)[number];

/** Analyses: they compute a plan from the graph and leave the graph as it is. */
export const ANALYSES = ['plan-memory'] as const;

export type AnalysisName = (typeof ANALYSES)[number];

// `@cluster/supervisor/preload` is the supervisor's worker side, a preload (`node --require`) that the
// supervisor adds to the cluster's execArgv itself: it exports nothing. These declarations let a
// CommonJS file `require()` it under strict TypeScript settings.
export {};

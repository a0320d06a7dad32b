// `@cluster/core/register` is a preload (`node --require` / `--import`): it exports nothing. These
// declarations let a CommonJS entry file `require()` it first under strict TypeScript settings.
export {};

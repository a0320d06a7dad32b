'use strict';
// `require('@cluster/core')` returns the cluster object itself, as `require('node:cluster')` does,
// and never a namespace with `__esModule` (compiled TypeScript would then read `.default`).
module.exports = require('./index.js').default;

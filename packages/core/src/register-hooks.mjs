// ESM resolve hook installed by ./register.cjs: `import 'node:cluster'` loads @cluster/core.
let target;

export function initialize(data) {
  target = data.url;
}

export function resolve(specifier, context, nextResolve) {
  if (specifier === 'cluster' || specifier === 'node:cluster') return { url: target, shortCircuit: true };
  return nextResolve(specifier, context);
}

// The worker that setup-primary.{mjs,cjs} forks (`exec: 'worker.js'`); not on the page, which leaves it to you.
console.log(`worker ${process.argv.slice(2).join(' ')}`);

// Prints where the demo answers before it starts.
const port = process.argv[2] ?? '8000';
console.log(
  `Clustered hello world on http://localhost:${port}/ (try: curl http://localhost:${port}/). Ctrl-C stops it.`,
);
